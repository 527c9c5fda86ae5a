// CPU GELU, tanh approximation (GPT-2's "gelu_new"; llm.c gelu_forward/backward), vectorised.
// Uses ½(1 + tanh u) = sigmoid(2u), so gelu(x) = x / (1 + e^(−2u)) with u = √(2/π)(x + 0.044715x³):
// one vector exp and no tanh. Derivative: s + 2x·s(1 − s)·u′ with s = sigmoid(2u),
// u′ = √(2/π)(1 + 3·0.044715x²) (½(1 − tanh²u) = 2s(1 − s)).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let geluScale: Float = 0.797_884_560_802_865_4  // √(2/π)
private let geluCubic: Float = 0.044_715

extension CPUBackend {
  public func geluForward(out: Tensor, inp: Tensor, N: Int) {
    requireCount(out, N, "geluForward out")
    requireCount(inp, N, "geluForward inp")
    let o = out.hostPointer, xp = inp.hostPointer
    parallelFor(N, grain: 1 << 14) { range in
      var i = range.lowerBound
      while i + 16 <= range.upperBound {
        let x = load(xp + i)
        let cube: Vec16 = geluCubic * x * x * x
        let u: Vec16 = geluScale * (x + cube)
        let e: Vec16 = vexp(-2 * u)
        store(x / (e + 1), o + i)
        i += 16
      }
      while i < range.upperBound {
        let x = xp[i]
        o[i] = x / (1 + expf(-2 * geluScale * (x + geluCubic * x * x * x)))
        i += 1
      }
    }
  }

  public func geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: Int) {
    requireCount(dinp, N, "geluBackward dinp")
    requireCount(inp, N, "geluBackward inp")
    requireCount(dout, N, "geluBackward dout")
    let dx = dinp.hostPointer, xp = inp.hostPointer, dy = dout.hostPointer
    parallelFor(N, grain: 1 << 14) { range in
      var i = range.lowerBound
      while i + 16 <= range.upperBound {
        let x = load(xp + i)
        let x2: Vec16 = x * x
        let u: Vec16 = geluScale * (x + geluCubic * x2 * x)
        let e: Vec16 = vexp(-2 * u)
        let s: Vec16 = 1 / (e + 1)
        let du: Vec16 = geluScale * (3 * geluCubic * x2 + 1)
        let local: Vec16 = s + 2 * x * s * (1 - s) * du
        store(load(dx + i) + local * load(dy + i), dx + i)
        i += 16
      }
      while i < range.upperBound {
        let x = xp[i]
        let s = 1 / (1 + expf(-2 * geluScale * (x + geluCubic * x * x * x)))
        dx[i] += (s + 2 * x * s * (1 - s) * geluScale * (1 + 3 * geluCubic * x * x)) * dy[i]
        i += 1
      }
    }
  }
}
