// CPU linear layer, nn.Linear layout: out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias, through BLAS
// sgemm (llm.c's matmul_forward/backward, with the loops handed to BLAS). N == 1 (decoding one
// token) is a matrix-vector product that streams the whole weight once: memory bound, so sgemv
// split over the cores by output rows. A few rows (a prompt) take a SIMD kernel that also reads
// the weight once: OpenBLAS sgemm repacks the transposed weight on every call, which made a
// 4-row GPT-2 LM head cost 4× a 1-row one.

/// Up to this many rows the forward uses `skinnyMatmul` instead of sgemm.
let skinnyMatmulMaxRows = 16

extension CPUBackend {
  public func matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int) {
    requireCount(out, N * OC, "matmulForward out")
    requireCount(inp, N * C, "matmulForward inp")
    requireCount(weight, OC * C, "matmulForward weight")
    if let bias { requireCount(bias, OC, "matmulForward bias") }
    let o = out.hostPointer, x = inp.hostPointer, w = weight.hostPointer
    if N == 1 {
      // out = weight · x (+ bias): each chunk of output rows reads its own slice of the weight.
      if let bias { (o).update(from: bias.hostPointer, count: OC) }
      let beta: Float = bias == nil ? 0 : 1
      parallelBLASFor(OC, grain: 512) { rows in
        sgemv(trans: false, M: rows.count, N: C, alpha: 1, A: w + rows.lowerBound * C, lda: C, x: x,
              beta: beta, y: o + rows.lowerBound)
      }
      return
    }
    if N <= skinnyMatmulMaxRows {
      let bp = bias?.hostPointer
      parallelFor(OC, grain: 256) { rows in
        skinnyMatmul(out: o, inp: x, weight: w, bias: bp, N: N, C: C, OC: OC, outputs: rows)
      }
      return
    }
    if let bias {
      let bp = bias.hostPointer
      parallelFor(N, grain: max(1, 8192 / max(OC, 1))) { rows in
        for n in rows { (o + n * OC).update(from: bp, count: OC) }
      }
    }
    setBLASThreads(threads)
    sgemm(transA: false, transB: true, M: N, N: OC, K: C, alpha: 1, A: x, lda: C, B: w, ldb: C,
          beta: bias == nil ? 0 : 1, C: o, ldc: OC)
  }

  public func matmulBackward(dinp: Tensor, dweight: Tensor, dbias: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor,
                             N: Int, C: Int, OC: Int) {
    requireCount(dinp, N * C, "matmulBackward dinp")
    requireCount(inp, N * C, "matmulBackward inp")
    requireCount(dweight, OC * C, "matmulBackward dweight")
    requireCount(weight, OC * C, "matmulBackward weight")
    requireCount(dout, N * OC, "matmulBackward dout")
    if let dbias { requireCount(dbias, OC, "matmulBackward dbias") }
    let dx = dinp.hostPointer, dw = dweight.hostPointer, dy = dout.hostPointer
    let x = inp.hostPointer, w = weight.hostPointer
    setBLASThreads(threads)
    // dinp (N,C) += dout (N,OC) · weight (OC,C)
    sgemm(transA: false, transB: false, M: N, N: C, K: OC, alpha: 1, A: dy, lda: OC, B: w, ldb: C,
          beta: 1, C: dx, ldc: C)
    // dweight (OC,C) += dout (N,OC)ᵀ · inp (N,C)
    sgemm(transA: true, transB: false, M: OC, N: C, K: N, alpha: 1, A: dy, lda: OC, B: x, ldb: C,
          beta: 1, C: dw, ldc: C)
    // dbias (OC) += column sums of dout, split by blocks of columns.
    if let dbias {
      let db = dbias.hostPointer
      let blocks = (OC + 15) / 16
      parallelFor(blocks, grain: 4) { blockRange in
        let c0 = blockRange.lowerBound * 16, c1 = min(blockRange.upperBound * 16, OC)
        for n in 0..<N { accumulate(dy + n * OC + c0, into: db + c0, count: c1 - c0) }
      }
    }
  }
}

/// out[n, o] = bias[o] + Σ_c inp[n, c]·weight[o, c] for o in `outputs`, every n < N. Four weight
/// rows at a time stay in L1 while each input row is dotted with them, so the weight streams
/// from memory once however many rows there are.
func skinnyMatmul(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  bias: UnsafePointer<Float>?, N: Int, C: Int, OC: Int, outputs: Range<Int>) {
  var o = outputs.lowerBound
  while o + 4 <= outputs.upperBound {
    let w0 = weight + o * C, w1 = w0 + C, w2 = w1 + C, w3 = w2 + C
    for n in 0..<N {
      let x = inp + n * C
      var a0 = Vec16(), a1 = Vec16(), a2 = Vec16(), a3 = Vec16()
      var c = 0
      while c + 16 <= C {
        let xv = load(x + c)
        a0 = a0.addingProduct(load(w0 + c), xv)
        a1 = a1.addingProduct(load(w1 + c), xv)
        a2 = a2.addingProduct(load(w2 + c), xv)
        a3 = a3.addingProduct(load(w3 + c), xv)
        c += 16
      }
      var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
      while c < C {
        s0 += w0[c] * x[c]
        s1 += w1[c] * x[c]
        s2 += w2[c] * x[c]
        s3 += w3[c] * x[c]
        c += 1
      }
      let row = out + n * OC + o
      if let bias {
        row[0] = s0 + bias[o]
        row[1] = s1 + bias[o + 1]
        row[2] = s2 + bias[o + 2]
        row[3] = s3 + bias[o + 3]
      } else {
        row[0] = s0
        row[1] = s1
        row[2] = s2
        row[3] = s3
      }
    }
    o += 4
  }
  while o < outputs.upperBound {
    let wr = weight + o * C
    for n in 0..<N {
      let x = inp + n * C
      var acc = Vec16()
      var c = 0
      while c + 16 <= C {
        acc = acc.addingProduct(load(wr + c), load(x + c))
        c += 16
      }
      var sum = acc.sum()
      while c < C {
        sum += wr[c] * x[c]
        c += 1
      }
      out[n * OC + o] = sum + (bias?[o] ?? 0)
    }
    o += 1
  }
}
