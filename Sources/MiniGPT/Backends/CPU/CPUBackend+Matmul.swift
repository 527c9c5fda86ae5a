// CPU linear layer, nn.Linear layout: out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias, through BLAS
// sgemm (llm.c's matmul_forward/backward, with the loops handed to BLAS). N == 1 (decoding one
// token) is a matrix-vector product that streams the whole weight once: memory bound, so sgemv
// split over the cores by output rows.

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
