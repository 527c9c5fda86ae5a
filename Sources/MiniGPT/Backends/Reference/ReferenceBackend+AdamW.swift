// Reference AdamW (Loshchilov & Hutter 2019, decoupled weight decay; torch.optim.AdamW and
// llm.c gpt2_update), computed per element in Double, exactly the formula of Backend.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceBackend {
  public func adamWUpdate(
    params: Tensor, grads: Tensor, m: Tensor, v: Tensor, count: Int, learningRate: Float,
    beta1: Float, beta2: Float, eps: Float, weightDecay: Float, gradScale: Float, step t: Int
  ) {
    precondition(t >= 1, "adamWUpdate: step \(t) must be ≥ 1")
    for (tensor, name) in [(params, "params"), (grads, "grads"), (m, "m"), (v, "v")] {
      precondition(tensor.count >= count, "adamWUpdate \(name): \(tensor.count) < count \(count)")
    }
    let p = params.hostPointer, g = grads.hostPointer, mp = m.hostPointer, vp = v.hostPointer
    let b1 = Double(beta1), b2 = Double(beta2), lr = Double(learningRate)
    let correction1 = 1 - pow(b1, Double(t)), correction2 = 1 - pow(b2, Double(t))
    for i in 0..<count {
      let grad = Double(g[i]) * Double(gradScale)
      let mNew = b1 * Double(mp[i]) + (1 - b1) * grad
      let vNew = b2 * Double(vp[i]) + (1 - b2) * grad * grad
      mp[i] = Float(mNew)
      vp[i] = Float(vNew)
      let mHat = mNew / correction1, vHat = vNew / correction2
      p[i] = Float(Double(p[i]) - lr * (mHat / (vHat.squareRoot() + Double(eps)) + Double(weightDecay) * Double(p[i])))
    }
  }
}
