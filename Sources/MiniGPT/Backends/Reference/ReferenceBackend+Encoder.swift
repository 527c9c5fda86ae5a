// Reference token + position embedding (llm.c encoder_forward / encoder_backward):
// out[b,t,:] = wte[token,:] + wpe[positionOffset + t,:]; the backward scatters dout back.

extension ReferenceBackend {
  public func encoderForward(
    out: Tensor, tokens: [Int32], wte: Tensor, wpe: Tensor, B: Int, T: Int, C: Int,
    positionOffset: Int
  ) {
    requireCount(out, B * T * C, "encoderForward out")
    precondition(tokens.count == B * T, "encoderForward: \(tokens.count) tokens for B·T = \(B * T)")
    precondition((positionOffset + T) * C <= wpe.count, "encoderForward: positions past wpe")
    let o = out.hostPointer, e = wte.hostPointer, p = wpe.hostPointer
    let V = wte.count / C
    for b in 0..<B {
      for t in 0..<T {
        let token = Int(tokens[b * T + t])
        precondition(token >= 0 && token < V, "encoderForward: token \(token) outside vocabulary \(V)")
        let row = o + (b * T + t) * C, wteRow = e + token * C, wpeRow = p + (positionOffset + t) * C
        for c in 0..<C { row[c] = wteRow[c] + wpeRow[c] }
      }
    }
  }

  public func encoderBackward(dwte: Tensor, dwpe: Tensor, dout: Tensor, tokens: [Int32], B: Int, T: Int, C: Int) {
    requireCount(dout, B * T * C, "encoderBackward dout")
    precondition(tokens.count == B * T && T * C <= dwpe.count, "encoderBackward: shapes")
    let d = dout.hostPointer, de = dwte.hostPointer, dp = dwpe.hostPointer
    let V = dwte.count / C
    for b in 0..<B {
      for t in 0..<T {
        let token = Int(tokens[b * T + t])
        precondition(token >= 0 && token < V, "encoderBackward: token \(token) outside vocabulary \(V)")
        let row = d + (b * T + t) * C, wteRow = de + token * C, wpeRow = dp + t * C
        for c in 0..<C {
          wteRow[c] += row[c]
          wpeRow[c] += row[c]
        }
      }
    }
  }
}
