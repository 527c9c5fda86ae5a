// Reference GELU, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's "gelu_new", llm.c
// gelu_forward / gelu_backward): gelu(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), in Double.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceBackend {
  static let geluScale = (2 / Double.pi).squareRoot()

  public func geluForward(out: Tensor, inp: Tensor, N: Int) {
    requireCount(out, N, "geluForward out")
    requireCount(inp, N, "geluForward inp")
    let o = out.hostPointer, xp = inp.hostPointer
    for i in 0..<N {
      let x = Double(xp[i])
      o[i] = Float(0.5 * x * (1 + tanh(Self.geluScale * (x + 0.044715 * x * x * x))))
    }
  }

  /// d/dx = ½(1 + tanh u) + ½x·(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²), u = √(2/π)(x + 0.044715x³).
  public func geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: Int) {
    requireCount(dinp, N, "geluBackward dinp")
    requireCount(inp, N, "geluBackward inp")
    requireCount(dout, N, "geluBackward dout")
    let dx = dinp.hostPointer, xp = inp.hostPointer, dy = dout.hostPointer
    for i in 0..<N {
      let x = Double(xp[i])
      let th = tanh(Self.geluScale * (x + 0.044715 * x * x * x))
      let local = 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * Self.geluScale * (1 + 3 * 0.044715 * x * x)
      dx[i] += Float(local * Double(dy[i]))
    }
  }
}
