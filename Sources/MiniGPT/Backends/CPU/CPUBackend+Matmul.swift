// CPU linear layer, nn.Linear layout: out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias, through BLAS
// sgemm (llm.c's matmul_forward/backward, with the loops handed to BLAS). Up to 16 rows (decoding
// one token, a short prompt) the forward is memory bound: a SIMD kernel streams the weight once,
// split over the cores by output rows. OpenBLAS is slower there: its sgemv read the weight at
// 15 GB/s where a plain stream reaches 25, and its sgemm repacks the transposed weight on every
// call, which made a 4-row GPT-2 LM head cost 4× a 1-row one.

/// Up to this many rows the forward uses `skinnyMatmul` instead of sgemm.
let skinnyMatmulMaxRows = 16

extension CPUBackend {
  public func matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int) {
    requireCount(out, N * OC, "matmulForward out")
    requireCount(inp, N * C, "matmulForward inp")
    requireCount(weight, OC * C, "matmulForward weight")
    if let bias { requireCount(bias, OC, "matmulForward bias") }
    let o = out.hostPointer, x = inp.hostPointer, w = weight.hostPointer
    if N <= skinnyMatmulMaxRows {
      let bp = bias?.hostPointer
      // A chunk must stream about 1 MB of weights to pay for waking a second thread (~10–20 µs):
      // small layers of small models run on one core, large ones (LM heads, GPT-2) on all.
      parallelFor(OC, grain: max(128, (1 << 18) / max(C, 1))) { rows in
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
    splitRows(N) { r in
      sgemm(
        transA: false, transB: true, M: r.count, N: OC, K: C, alpha: 1, A: x + r.lowerBound * C, lda: C, B: w, ldb: C,
        beta: bias == nil ? 0 : 1, C: o + r.lowerBound * OC, ldc: OC)
    }
  }

  /// Runs `body` over `rows` split into one block per thread, each a single-threaded sgemm on the
  /// backend's own threads: one thread pool for every kernel, instead of OpenBLAS's pool spinning
  /// beside Dispatch's between calls. Measured, 2 threads, 3 alternating runs: small training
  /// 2,927–3,451 → 3,633–3,743 tokens/s; tiny 11,002–16,275 → 14,743–16,710.
  func splitRows(_ rows: Int, _ body: (Range<Int>) -> Void) {
    if threads == 1 || rows < 2 * threads {
      setBLASThreads(threads)
      body(0..<rows)
      return
    }
    parallelBLASFor(threads) { blocks in
      for k in blocks { body((k * rows / threads)..<((k + 1) * rows / threads)) }
    }
  }

  public func matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor,
    N: Int, C: Int, OC: Int
  ) {
    requireCount(dinp, N * C, "matmulBackward dinp")
    requireCount(inp, N * C, "matmulBackward inp")
    requireCount(dweight, OC * C, "matmulBackward dweight")
    requireCount(weight, OC * C, "matmulBackward weight")
    requireCount(dout, N * OC, "matmulBackward dout")
    if let dbias { requireCount(dbias, OC, "matmulBackward dbias") }
    let dx = dinp.hostPointer, dw = dweight.hostPointer, dy = dout.hostPointer
    let x = inp.hostPointer, w = weight.hostPointer
    // dinp (N,C) += dout (N,OC) · weight (OC,C)
    splitRows(N) { r in
      sgemm(
        transA: false, transB: false, M: r.count, N: C, K: OC, alpha: 1, A: dy + r.lowerBound * OC, lda: OC, B: w, ldb: C,
        beta: 1, C: dx + r.lowerBound * C, ldc: C)
    }
    // dweight (OC,C) += dout (N,OC)ᵀ · inp (N,C)
    splitRows(OC) { r in
      sgemm(
        transA: true, transB: false, M: r.count, N: C, K: N, alpha: 1, A: dy + r.lowerBound, lda: OC, B: x, ldb: C,
        beta: 1, C: dw + r.lowerBound * C, ldc: C)
    }
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

/// out[n, o] = bias[o] + Σ_c inp[n, c]·weight[o, c] for o in `outputs`, every n < N. The weight
/// streams from memory once, strictly front to back: input row 0 is dotted with weight row o,
/// then o + 1 (measured on the LM head, 154 MB, one core: one such stream reads at 25 GB/s;
/// OpenBLAS sgemv, or reading 2–4 weight rows interleaved, 15). The remaining input rows then
/// meet the two weight rows, now in L1, in 2 × 2 blocks, which halve the loads per
/// multiply-add — the limit for 8–16 rows.
func skinnyMatmul(
  out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  bias: UnsafePointer<Float>?, N: Int, C: Int, OC: Int, outputs: Range<Int>
) {
  var o = outputs.lowerBound
  if N > 1 {
    while o + 2 <= outputs.upperBound {
      let w0 = weight + o * C, w1 = w0 + C
      let b0 = bias?[o] ?? 0, b1 = bias?[o + 1] ?? 0
      out[o] = dot(w0, inp, C) + b0
      out[o + 1] = dot(w1, inp, C) + b1
      var n = 1
      while n + 2 <= N {
        let x0 = inp + n * C, x1 = x0 + C
        var a00 = Vec16(), a01 = Vec16(), a10 = Vec16(), a11 = Vec16()
        var c = 0
        while c + 16 <= C {
          let u0 = load(w0 + c), u1 = load(w1 + c), v0 = load(x0 + c), v1 = load(x1 + c)
          a00 = a00.addingProduct(u0, v0)
          a01 = a01.addingProduct(u0, v1)
          a10 = a10.addingProduct(u1, v0)
          a11 = a11.addingProduct(u1, v1)
          c += 16
        }
        var s00 = a00.sum(), s01 = a01.sum(), s10 = a10.sum(), s11 = a11.sum()
        while c < C {
          s00 += w0[c] * x0[c]
          s01 += w0[c] * x1[c]
          s10 += w1[c] * x0[c]
          s11 += w1[c] * x1[c]
          c += 1
        }
        out[n * OC + o] = s00 + b0
        out[(n + 1) * OC + o] = s01 + b0
        out[n * OC + o + 1] = s10 + b1
        out[(n + 1) * OC + o + 1] = s11 + b1
        n += 2
      }
      if n < N {
        out[n * OC + o] = dot(w0, inp + n * C, C) + b0
        out[n * OC + o + 1] = dot(w1, inp + n * C, C) + b1
      }
      o += 2
    }
  }
  while o < outputs.upperBound {
    let w = weight + o * C, b = bias?[o] ?? 0
    for n in 0..<N { out[n * OC + o] = dot(w, inp + n * C, C) + b }
    o += 1
  }
}

/// Σ a[i]·b[i] with four accumulators (independent multiply-add chains hide their latency).
@inline(__always) func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
  var a0 = Vec16(), a1 = Vec16(), a2 = Vec16(), a3 = Vec16()
  var c = 0
  while c + 64 <= count {
    a0 = a0.addingProduct(load(a + c), load(b + c))
    a1 = a1.addingProduct(load(a + c + 16), load(b + c + 16))
    a2 = a2.addingProduct(load(a + c + 32), load(b + c + 32))
    a3 = a3.addingProduct(load(a + c + 48), load(b + c + 48))
    c += 64
  }
  while c + 16 <= count {
    a0 = a0.addingProduct(load(a + c), load(b + c))
    c += 16
  }
  var sum = ((a0 + a1) + (a2 + a3)).sum()
  while c < count {
    sum += a[c] * b[c]
    c += 1
  }
  return sum
}
