// Reference softmax + cross-entropy over the vocabulary (llm.c softmax_forward,
// crossentropy_forward, crossentropy_softmax_backward; torch.nn.functional.cross_entropy).
// The loss is log Σ exp(x − max) − (x[target] − max), = −log p[target] without log(0) = −∞.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceBackend {
  public func softmaxCrossEntropyForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: [Int32]?, N: Int, V: Int) {
    requireCount(probs, N * V, "softmaxCrossEntropyForward probs")
    requireCount(logits, N * V, "softmaxCrossEntropyForward logits")
    if let targets {
      precondition(targets.count == N, "softmaxCrossEntropyForward: \(targets.count) targets for N = \(N)")
      requireCount(losses, N, "softmaxCrossEntropyForward losses")
    }
    let p = probs.hostPointer, x = logits.hostPointer
    for n in 0..<N {
      let row = x + n * V
      var maxLogit = -Double.infinity
      for v in 0..<V { maxLogit = max(maxLogit, Double(row[v])) }
      var sum = 0.0
      for v in 0..<V { sum += exp(Double(row[v]) - maxLogit) }
      for v in 0..<V { p[n * V + v] = Float(exp(Double(row[v]) - maxLogit) / sum) }
      if let targets {
        let target = Int(targets[n])
        precondition(target >= 0 && target < V, "softmaxCrossEntropyForward: target \(target) outside 0..<\(V)")
        losses.hostPointer[n] = Float(log(sum) - (Double(row[target]) - maxLogit))
      }
    }
  }

  public func softmaxCrossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: [Int32], dloss: Float, N: Int, V: Int) {
    requireCount(dlogits, N * V, "softmaxCrossEntropyBackward dlogits")
    requireCount(probs, N * V, "softmaxCrossEntropyBackward probs")
    precondition(targets.count == N, "softmaxCrossEntropyBackward: \(targets.count) targets for N = \(N)")
    let d = dlogits.hostPointer, p = probs.hostPointer
    for n in 0..<N {
      let target = Int(targets[n])
      precondition(target >= 0 && target < V, "softmaxCrossEntropyBackward: target \(target) outside 0..<\(V)")
      for v in 0..<V {
        let indicator: Float = v == target ? 1 : 0
        d[n * V + v] += (p[n * V + v] - indicator) * dloss
      }
    }
  }
}
