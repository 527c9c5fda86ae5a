// CPU token + position embedding (llm.c encoder_forward / encoder_backward), SIMD over channels.
// The backward splits the work by channel blocks, not rows: a token that occurs twice adds into
// the same dwte row, so row-parallel accumulation would race.

extension CPUBackend {
  public func encoderForward(
    out: Tensor, tokens: [Int32], wte: Tensor, wpe: Tensor, B: Int, T: Int, C: Int,
    positionOffset: Int
  ) {
    requireCount(out, B * T * C, "encoderForward out")
    precondition(tokens.count == B * T, "encoderForward: \(tokens.count) tokens for B·T = \(B * T)")
    precondition((positionOffset + T) * C <= wpe.count, "encoderForward: positions past wpe")
    let V = wte.count / C
    precondition(tokens.allSatisfy { $0 >= 0 && Int($0) < V }, "encoderForward: token outside vocabulary \(V)")
    let o = out.hostPointer, e = wte.hostPointer, p = wpe.hostPointer
    tokens.withUnsafeBufferPointer { tok in
      parallelFor(B * T, grain: max(1, 4096 / max(C, 1))) { rows in
        for row in rows {
          let t = row % T
          add(e + Int(tok[row]) * C, p + (positionOffset + t) * C, into: o + row * C, count: C)
        }
      }
    }
  }

  public func encoderBackward(dwte: Tensor, dwpe: Tensor, dout: Tensor, tokens: [Int32], B: Int, T: Int, C: Int) {
    requireCount(dout, B * T * C, "encoderBackward dout")
    precondition(tokens.count == B * T && T * C <= dwpe.count, "encoderBackward: shapes")
    let V = dwte.count / C
    precondition(tokens.allSatisfy { $0 >= 0 && Int($0) < V }, "encoderBackward: token outside vocabulary \(V)")
    let d = dout.hostPointer, de = dwte.hostPointer, dp = dwpe.hostPointer
    let blocks = (C + 15) / 16
    tokens.withUnsafeBufferPointer { tok in
      parallelFor(blocks, grain: 1) { blockRange in
        let c0 = blockRange.lowerBound * 16, c1 = min(blockRange.upperBound * 16, C)
        for row in 0..<(B * T) {
          let src = d + row * C + c0
          accumulate(src, into: de + Int(tok[row]) * C + c0, count: c1 - c0)
          accumulate(src, into: dp + (row % T) * C + c0, count: c1 - c0)
        }
      }
    }
  }
}

/// out[i] = a[i] + b[i].
@inline(__always) func add(
  _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
  count: Int
) {
  var i = 0
  while i + 16 <= count {
    store(load(a + i) + load(b + i), out + i)
    i += 16
  }
  while i < count {
    out[i] = a[i] + b[i]
    i += 1
  }
}

/// dst[i] += src[i].
@inline(__always) func accumulate(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
  var i = 0
  while i + 16 <= count {
    store(load(dst + i) + load(src + i), dst + i)
    i += 16
  }
  while i < count {
    dst[i] += src[i]
    i += 1
  }
}
