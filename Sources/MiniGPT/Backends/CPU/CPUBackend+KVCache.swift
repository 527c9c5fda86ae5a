// CPU KV-cache decoding for batch 1: the new k, v rows are copied into (maxT, C) caches, and
// each head's queries attend to cache rows 0...position+t through BLAS (sgemv for one new token,
// sgemm for a prompt), heads in parallel. Reference: ReferenceBackend+KVCache.swift.

extension CPUBackend {
  public func kvCacheWrite(kCache: Tensor, vCache: Tensor, qkv: Tensor, T: Int, C: Int, position: Int) {
    requireCount(qkv, T * 3 * C, "kvCacheWrite qkv")
    precondition(
      position >= 0 && (position + T) * C <= kCache.count && (position + T) * C <= vCache.count,
      "kvCacheWrite: rows \(position)..<\(position + T) outside the cache")
    let k = kCache.hostPointer, v = vCache.hostPointer, x = qkv.hostPointer
    for t in 0..<T {
      (k + (position + t) * C).update(from: x + t * 3 * C + C, count: C)
      (v + (position + t) * C).update(from: x + t * 3 * C + 2 * C, count: C)
    }
  }

  public func attentionCachedForward(
    out: Tensor, att: Tensor, qkv: Tensor, kCache: Tensor, vCache: Tensor,
    T: Int, C: Int, NH: Int, position: Int, maxT: Int
  ) {
    precondition(C % NH == 0, "attentionCachedForward: C = \(C) not divisible by NH = \(NH)")
    precondition(position >= 0 && position + T <= maxT, "attentionCachedForward: rows past maxT = \(maxT)")
    requireCount(out, T * C, "attentionCachedForward out")
    requireCount(att, NH * T * maxT, "attentionCachedForward att")
    requireCount(qkv, T * 3 * C, "attentionCachedForward qkv")
    requireCount(kCache, maxT * C, "attentionCachedForward kCache")
    requireCount(vCache, maxT * C, "attentionCachedForward vCache")
    let HS = C / NH, L = position + T
    let scale = 1 / Float(HS).squareRoot()
    let o = out.hostPointer, a = att.hostPointer, x = qkv.hostPointer, k = kCache.hostPointer, v = vCache.hostPointer
    parallelBLASFor(NH) { heads in
      for h in heads {
        let q = x + h * HS, attBlock = a + h * T * maxT
        // scores (T, L) = Q (T,HS) · K[0..<L]ᵀ / √HS
        if T == 1 {
          sgemv(trans: false, M: L, N: HS, alpha: scale, A: k + h * HS, lda: C, x: q, beta: 0, y: attBlock)
        } else {
          sgemm(
            transA: false, transB: true, M: T, N: L, K: HS, alpha: scale, A: q, lda: 3 * C, B: k + h * HS,
            ldb: C, beta: 0, C: attBlock, ldc: maxT)
        }
        for t in 0..<T {
          let row = attBlock + t * maxT, valid = position + t + 1
          softmaxRow(row, row, count: valid)
          (row + valid).update(repeating: 0, count: maxT - valid)
        }
        // out (T, HS) = att (T, L) · V[0..<L]
        if T == 1 {
          sgemv(trans: true, M: L, N: HS, alpha: 1, A: v + h * HS, lda: C, x: attBlock, beta: 0, y: o + h * HS)
        } else {
          sgemm(
            transA: false, transB: false, M: T, N: HS, K: L, alpha: 1, A: attBlock, lda: maxT, B: v + h * HS,
            ldb: C, beta: 0, C: o + h * HS, ldc: C)
        }
      }
    }
  }
}
