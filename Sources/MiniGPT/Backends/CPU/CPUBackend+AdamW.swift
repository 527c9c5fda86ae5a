// CPU AdamW (Loshchilov & Hutter 2019; torch.optim.AdamW, llm.c gpt2_update), SIMD16 over the
// parameters, chunks split over cores. Same formula as Backend.swift, in Float.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUBackend {
  public func adamWUpdate(
    params: Tensor, grads: Tensor, m: Tensor, v: Tensor, count: Int, learningRate: Float,
    beta1: Float, beta2: Float, eps: Float, weightDecay: Float, gradScale: Float, step t: Int
  ) {
    precondition(t >= 1, "adamWUpdate: step \(t) must be ≥ 1")
    for (tensor, name) in [(params, "params"), (grads, "grads"), (m, "m"), (v, "v")] {
      precondition(tensor.count >= count, "adamWUpdate \(name): \(tensor.count) < count \(count)")
    }
    let p = params.hostPointer, g = grads.hostPointer, mp = m.hostPointer, vp = v.hostPointer
    // m̂/(√v̂ + eps) = m·(1/c1) / (√v·(1/√c2) + eps) with c = 1 − βᵗ: one division per element
    // instead of three. The corrections are computed in Double (1 − β2ᵗ is small for small t).
    let c1 = 1 - pow(Double(beta1), Double(t)), c2 = 1 - pow(Double(beta2), Double(t))
    let invC1 = Float(1 / c1), invSqrtC2 = Float(1 / c2.squareRoot())
    let lr = learningRate, wd = weightDecay
    parallelFor(count, grain: 1 << 14) { range in
      var i = range.lowerBound
      while i + 16 <= range.upperBound {
        let grad = load(g + i) * gradScale
        let mNew = beta1 * load(mp + i) + (1 - beta1) * grad
        let vNew = beta2 * load(vp + i) + (1 - beta2) * grad * grad
        store(mNew, mp + i)
        store(vNew, vp + i)
        let param = load(p + i)
        let update = (mNew * invC1) / (vNew.squareRoot() * invSqrtC2 + eps) + wd * param
        store(param - lr * update, p + i)
        i += 16
      }
      while i < range.upperBound {
        let grad = g[i] * gradScale
        let mNew = beta1 * mp[i] + (1 - beta1) * grad
        let vNew = beta2 * vp[i] + (1 - beta2) * grad * grad
        mp[i] = mNew
        vp[i] = vNew
        p[i] -= lr * ((mNew * invC1) / (vNew.squareRoot() * invSqrtC2 + eps) + wd * p[i])
        i += 1
      }
    }
  }
}
