// CPU causal self-attention (llm.c attention_forward/backward restated as matrix products, as
// PyTorch's math path does). Per (batch, head), with Q, K, V the (T,HS) slices of qkv read
// in place with row stride 3C: preatt = Q·Kᵀ/√HS (sgemm), masked softmax row by row,
// out = att·V (sgemm). The (b,h) problems run in parallel with single-threaded BLAS.
// Causality is exploited in blocks of 64 rows: row block i only meets keys 0..<(i+1)·64, so the
// products skip the masked upper blocks (T = 256: 62 % of the square's flops; T = 1024: 53 %).
// Masked entries inside a diagonal block are computed, then overwritten (preatt −∞, att 0).

/// Rows per block of the causal block-triangular products.
private let causalBlock = 64

extension CPUBackend {
  public func attentionForward(out: Tensor, preatt: Tensor, att: Tensor, qkv: Tensor, B: Int, T: Int, C: Int, NH: Int) {
    precondition(C % NH == 0, "attentionForward: C = \(C) not divisible by NH = \(NH)")
    requireCount(out, B * T * C, "attentionForward out")
    requireCount(qkv, B * T * 3 * C, "attentionForward qkv")
    requireCount(preatt, B * NH * T * T, "attentionForward preatt")
    requireCount(att, B * NH * T * T, "attentionForward att")
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    let o = out.hostPointer, pre = preatt.hostPointer, a = att.hostPointer, x = qkv.hostPointer
    parallelBLASFor(B * NH) { problems in
      for bh in problems {
        let b = bh / NH, h = bh % NH
        let q = x + b * T * C3 + h * HS, k = q + C, v = q + 2 * C
        let preBlock = pre + bh * T * T, attBlock = a + bh * T * T
        for r0 in stride(from: 0, to: T, by: causalBlock) {
          let r1 = min(T, r0 + causalBlock)
          sgemm(
            transA: false, transB: true, M: r1 - r0, N: r1, K: HS, alpha: scale, A: q + r0 * C3, lda: C3,
            B: k, ldb: C3, beta: 0, C: preBlock + r0 * T, ldc: T)
        }
        for t in 0..<T {
          let preRow = preBlock + t * T, attRow = attBlock + t * T
          softmaxRow(preRow, attRow, count: t + 1)
          for t2 in (t + 1)..<T {
            preRow[t2] = -.infinity
            attRow[t2] = 0
          }
        }
        for r0 in stride(from: 0, to: T, by: causalBlock) {
          let r1 = min(T, r0 + causalBlock)
          sgemm(
            transA: false, transB: false, M: r1 - r0, N: HS, K: r1, alpha: 1, A: attBlock + r0 * T, lda: T,
            B: v, ldb: C3, beta: 0, C: o + (b * T + r0) * C + h * HS, ldc: C)
        }
      }
    }
  }

  /// datt += dout·Vᵀ; dV += attᵀ·dout; dpreatt += att ⊙ (datt − rowsum(att ⊙ datt)) on the causal
  /// part (masked entries are set to 0: their gradient is 0); dQ += dpreatt·K/√HS; dK += dpreattᵀ·Q/√HS.
  public func attentionBackward(
    dqkv: Tensor, dpreatt: Tensor, datt: Tensor, dout: Tensor, qkv: Tensor, att: Tensor,
    B: Int, T: Int, C: Int, NH: Int
  ) {
    precondition(C % NH == 0, "attentionBackward: C = \(C) not divisible by NH = \(NH)")
    requireCount(dqkv, B * T * 3 * C, "attentionBackward dqkv")
    requireCount(qkv, B * T * 3 * C, "attentionBackward qkv")
    requireCount(dout, B * T * C, "attentionBackward dout")
    requireCount(dpreatt, B * NH * T * T, "attentionBackward dpreatt")
    requireCount(datt, B * NH * T * T, "attentionBackward datt")
    requireCount(att, B * NH * T * T, "attentionBackward att")
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    let dq = dqkv.hostPointer, dpre = dpreatt.hostPointer, da = datt.hostPointer
    let dy = dout.hostPointer, x = qkv.hostPointer, a = att.hostPointer
    parallelBLASFor(B * NH) { problems in
      for bh in problems {
        let b = bh / NH, h = bh % NH
        let q = x + b * T * C3 + h * HS, k = q + C, v = q + 2 * C
        let dqHead = dq + b * T * C3 + h * HS, dk = dqHead + C, dv = dqHead + 2 * C
        let dyHead = dy + b * T * C + h * HS
        let attBlock = a + bh * T * T, dattBlock = da + bh * T * T, dpreBlock = dpre + bh * T * T
        // Row block r0..<r1 of datt needs keys 0..<r1; key block c0..<c1 of dV needs rows c0..<T.
        for r0 in stride(from: 0, to: T, by: causalBlock) {
          let r1 = min(T, r0 + causalBlock)
          sgemm(
            transA: false, transB: true, M: r1 - r0, N: r1, K: HS, alpha: 1, A: dyHead + r0 * C, lda: C,
            B: v, ldb: C3, beta: 1, C: dattBlock + r0 * T, ldc: T)
          sgemm(
            transA: true, transB: false, M: r1 - r0, N: HS, K: T - r0, alpha: 1, A: attBlock + r0 * T + r0, lda: T,
            B: dyHead + r0 * C, ldb: C, beta: 1, C: dv + r0 * C3, ldc: C3)
        }
        for t in 0..<T {
          let attRow = attBlock + t * T, dattRow = dattBlock + t * T, dpreRow = dpreBlock + t * T
          let n = t + 1
          var accVector = Vec16()
          var i = 0
          while i + 16 <= n {
            accVector += load(attRow + i) * load(dattRow + i)
            i += 16
          }
          var weighted = accVector.sum()
          while i < n {
            weighted += attRow[i] * dattRow[i]
            i += 1
          }
          i = 0
          while i + 16 <= n {
            store(load(dpreRow + i) + load(attRow + i) * (load(dattRow + i) - weighted), dpreRow + i)
            i += 16
          }
          while i < n {
            dpreRow[i] += attRow[i] * (dattRow[i] - weighted)
            i += 1
          }
          for t2 in n..<T { dpreRow[t2] = 0 }
        }
        for r0 in stride(from: 0, to: T, by: causalBlock) {
          let r1 = min(T, r0 + causalBlock)
          sgemm(
            transA: false, transB: false, M: r1 - r0, N: HS, K: r1, alpha: scale, A: dpreBlock + r0 * T, lda: T,
            B: k, ldb: C3, beta: 1, C: dqHead + r0 * C3, ldc: C3)
          sgemm(
            transA: true, transB: false, M: r1 - r0, N: HS, K: T - r0, alpha: scale, A: dpreBlock + r0 * T + r0,
            lda: T, B: q + r0 * C3, ldb: C3, beta: 1, C: dk + r0 * C3, ldc: C3)
        }
      }
    }
  }
}
