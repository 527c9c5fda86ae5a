// CPU causal self-attention (llm.c attention_forward/backward restated as matrix products, as
// PyTorch's math path does). Per (batch, head), with Q, K, V the (T,HS) slices of qkv read
// in place with row stride 3C: preatt = Q·Kᵀ/√HS (sgemm), masked softmax row by row,
// out = att·V (sgemm). The (b,h) problems run in parallel with single-threaded BLAS.
// The products cover the full T×T square (masked entries are 0 in att): 2× the minimal flops,
// still far faster than loops.

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
        sgemm(transA: false, transB: true, M: T, N: T, K: HS, alpha: scale, A: q, lda: C3, B: k, ldb: C3,
              beta: 0, C: preBlock, ldc: T)
        for t in 0..<T {
          let preRow = preBlock + t * T, attRow = attBlock + t * T
          softmaxRow(preRow, attRow, count: t + 1)
          for t2 in (t + 1)..<T {
            preRow[t2] = -.infinity
            attRow[t2] = 0
          }
        }
        sgemm(transA: false, transB: false, M: T, N: HS, K: T, alpha: 1, A: attBlock, lda: T, B: v, ldb: C3,
              beta: 0, C: o + b * T * C + h * HS, ldc: C)
      }
    }
  }

  /// datt += dout·Vᵀ; dV += attᵀ·dout; dpreatt += att ⊙ (datt − rowsum(att ⊙ datt)) on the causal
  /// part (masked entries are set to 0: their gradient is 0); dQ += dpreatt·K/√HS; dK += dpreattᵀ·Q/√HS.
  public func attentionBackward(dqkv: Tensor, dpreatt: Tensor, datt: Tensor, dout: Tensor, qkv: Tensor, att: Tensor,
                                B: Int, T: Int, C: Int, NH: Int) {
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
        sgemm(transA: false, transB: true, M: T, N: T, K: HS, alpha: 1, A: dyHead, lda: C, B: v, ldb: C3,
              beta: 1, C: dattBlock, ldc: T)
        sgemm(transA: true, transB: false, M: T, N: HS, K: T, alpha: 1, A: attBlock, lda: T, B: dyHead, ldb: C,
              beta: 1, C: dv, ldc: C3)
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
        sgemm(transA: false, transB: false, M: T, N: HS, K: T, alpha: scale, A: dpreBlock, lda: T, B: k, ldb: C3,
              beta: 1, C: dqHead, ldc: C3)
        sgemm(transA: true, transB: false, M: T, N: HS, K: T, alpha: scale, A: dpreBlock, lda: T, B: q, ldb: C3,
              beta: 1, C: dk, ldc: C3)
      }
    }
  }
}
