// Reference KV-cache decoding for batch 1 (as Hugging Face GPT-2's past_key_values): new k, v rows
// go into (maxT, C) caches, and each new query attends to every cached row up to its position.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceBackend {
  public func kvCacheWrite(kCache: Tensor, vCache: Tensor, qkv: Tensor, T: Int, C: Int, position: Int) {
    requireCount(qkv, T * 3 * C, "kvCacheWrite qkv")
    precondition(
      position >= 0 && (position + T) * C <= kCache.count && (position + T) * C <= vCache.count,
      "kvCacheWrite: rows \(position)..<\(position + T) outside the cache")
    let k = kCache.hostPointer, v = vCache.hostPointer, x = qkv.hostPointer
    for t in 0..<T {
      for c in 0..<C {
        k[(position + t) * C + c] = x[t * 3 * C + C + c]
        v[(position + t) * C + c] = x[t * 3 * C + 2 * C + c]
      }
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
    let HS = C / NH
    let scale = 1 / Double(HS).squareRoot()
    let o = out.hostPointer, a = att.hostPointer, x = qkv.hostPointer, k = kCache.hostPointer, v = vCache.hostPointer
    for t in 0..<T {
      let p = position + t
      for h in 0..<NH {
        let q = x + t * 3 * C + h * HS
        let attRow = a + (h * T + t) * maxT
        var scores = [Double](repeating: 0, count: p + 1)
        var maxScore = -Double.infinity
        for t2 in 0...p {
          var dot = 0.0
          for i in 0..<HS { dot += Double(q[i]) * Double(k[t2 * C + h * HS + i]) }
          scores[t2] = dot * scale
          maxScore = max(maxScore, scores[t2])
        }
        var sum = 0.0
        for t2 in 0...p {
          scores[t2] = exp(scores[t2] - maxScore)
          sum += scores[t2]
        }
        for t2 in 0..<maxT { attRow[t2] = t2 <= p ? Float(scores[t2] / sum) : 0 }
        for i in 0..<HS {
          var acc = 0.0
          for t2 in 0...p { acc += Double(attRow[t2]) * Double(v[t2 * C + h * HS + i]) }
          o[t * C + h * HS + i] = Float(acc)
        }
      }
    }
  }
}
