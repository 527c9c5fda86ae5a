// Reference causal multi-head self-attention (Vaswani et al. 2017; llm.c attention_forward /
// attention_backward). qkv (B,T,3C) = q | k | v; head h uses channels h·HS..<(h+1)·HS of each.
// preatt/att/dpreatt/datt are (B,NH,T,T); masked (t2 > t) entries are -∞ in preatt and 0 in att.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceBackend {
  public func attentionForward(out: Tensor, preatt: Tensor, att: Tensor, qkv: Tensor, B: Int, T: Int, C: Int, NH: Int) {
    precondition(C % NH == 0, "attentionForward: C = \(C) not divisible by NH = \(NH)")
    requireCount(out, B * T * C, "attentionForward out")
    requireCount(qkv, B * T * 3 * C, "attentionForward qkv")
    requireCount(preatt, B * NH * T * T, "attentionForward preatt")
    requireCount(att, B * NH * T * T, "attentionForward att")
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Double(HS).squareRoot()
    let o = out.hostPointer, pre = preatt.hostPointer, a = att.hostPointer, qkvp = qkv.hostPointer
    for b in 0..<B {
      for t in 0..<T {
        for h in 0..<NH {
          let q = qkvp + (b * T + t) * C3 + h * HS
          let preRow = pre + ((b * NH + h) * T + t) * T
          let attRow = a + ((b * NH + h) * T + t) * T
          var maxScore = -Double.infinity
          var scores = [Double](repeating: 0, count: t + 1)
          for t2 in 0...t {
            let k = qkvp + (b * T + t2) * C3 + C + h * HS
            var dot = 0.0
            for i in 0..<HS { dot += Double(q[i]) * Double(k[i]) }
            scores[t2] = dot * scale
            preRow[t2] = Float(scores[t2])
            maxScore = max(maxScore, scores[t2])
          }
          var sum = 0.0
          for t2 in 0...t {
            scores[t2] = exp(scores[t2] - maxScore)
            sum += scores[t2]
          }
          for t2 in 0..<T {
            if t2 <= t {
              attRow[t2] = Float(scores[t2] / sum)
            } else {
              preRow[t2] = -Float.infinity
              attRow[t2] = 0
            }
          }
          let outHead = o + (b * T + t) * C + h * HS
          for i in 0..<HS {
            var acc = 0.0
            for t2 in 0...t {
              acc += Double(attRow[t2]) * Double(qkvp[(b * T + t2) * C3 + 2 * C + h * HS + i])
            }
            outHead[i] = Float(acc)
          }
        }
      }
    }
  }

  /// Backward through out = att·v, att = softmax(preatt), preatt = q·kᵀ·scale:
  /// datt = dout·vᵀ, dv += attᵀ·dout; dpreatt = att ⊙ (datt − Σ att·datt) (softmax Jacobian);
  /// dq += dpreatt·k·scale, dk += dpreattᵀ·q·scale.
  public func attentionBackward(
    dqkv: Tensor, dpreatt: Tensor, datt: Tensor, dout: Tensor, qkv: Tensor, att: Tensor,
    B: Int, T: Int, C: Int, NH: Int
  ) {
    precondition(C % NH == 0, "attentionBackward: C = \(C) not divisible by NH = \(NH)")
    requireCount(dqkv, B * T * 3 * C, "attentionBackward dqkv")
    requireCount(qkv, B * T * 3 * C, "attentionBackward qkv")
    requireCount(dout, B * T * C, "attentionBackward dout")
    for (tensor, name) in [(dpreatt, "dpreatt"), (datt, "datt"), (att, "att")] {
      precondition(tensor.count == B * NH * T * T, "attentionBackward \(name): got \(tensor.shape)")
    }
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Double(HS).squareRoot()
    let dq = dqkv.hostPointer, dpre = dpreatt.hostPointer, da = datt.hostPointer
    let dy = dout.hostPointer, x = qkv.hostPointer, a = att.hostPointer
    for b in 0..<B {
      for t in 0..<T {
        for h in 0..<NH {
          let rowIndex = ((b * NH + h) * T + t) * T
          let attRow = a + rowIndex, dattRow = da + rowIndex, dpreRow = dpre + rowIndex
          let dyHead = dy + (b * T + t) * C + h * HS
          let q = x + (b * T + t) * C3 + h * HS, dqHead = dq + (b * T + t) * C3 + h * HS
          // out = att·v
          for t2 in 0...t {
            let v = x + (b * T + t2) * C3 + 2 * C + h * HS
            let dv = dq + (b * T + t2) * C3 + 2 * C + h * HS
            var dot = 0.0
            for i in 0..<HS {
              dot += Double(v[i]) * Double(dyHead[i])
              dv[i] += attRow[t2] * dyHead[i]
            }
            dattRow[t2] += Float(dot)
          }
          // softmax
          var weighted = 0.0
          for t2 in 0...t { weighted += Double(attRow[t2]) * Double(dattRow[t2]) }
          for t2 in 0...t {
            dpreRow[t2] += Float(Double(attRow[t2]) * (Double(dattRow[t2]) - weighted))
          }
          // preatt = q·kᵀ·scale
          for t2 in 0...t {
            let k = x + (b * T + t2) * C3 + C + h * HS
            let dk = dq + (b * T + t2) * C3 + C + h * HS
            let g = Double(dpreRow[t2]) * scale
            for i in 0..<HS {
              dqHead[i] += Float(g * Double(k[i]))
              dk[i] += Float(g * Double(q[i]))
            }
          }
        }
      }
    }
  }
}
