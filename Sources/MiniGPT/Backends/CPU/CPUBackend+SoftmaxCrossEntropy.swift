// CPU softmax + cross-entropy over the vocabulary (llm.c softmax_forward, crossentropy_forward,
// crossentropy_softmax_backward), one vectorised softmax per row, rows split over cores.
// loss = log Σ exp(x − max) − (x[target] − max), which is −log p[target] without log(0).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUBackend {
  public func softmaxCrossEntropyForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: [Int32]?, N: Int, V: Int) {
    requireCount(probs, N * V, "softmaxCrossEntropyForward probs")
    requireCount(logits, N * V, "softmaxCrossEntropyForward logits")
    if let targets {
      precondition(targets.count == N, "softmaxCrossEntropyForward: \(targets.count) targets for N = \(N)")
      precondition(targets.allSatisfy { $0 >= 0 && Int($0) < V }, "softmaxCrossEntropyForward: target outside 0..<\(V)")
      requireCount(losses, N, "softmaxCrossEntropyForward losses")
    }
    let p = probs.hostPointer, x = logits.hostPointer
    let l: UnsafeMutablePointer<Float>? = targets == nil ? nil : losses.hostPointer
    let targetList = targets ?? []
    targetList.withUnsafeBufferPointer { tp in
      parallelFor(N, grain: max(1, 16384 / max(V, 1))) { rows in
        for n in rows {
          let (maxValue, sum) = softmaxRow(x + n * V, p + n * V, count: V)
          if let l { l[n] = logf(sum) - (x[n * V + Int(tp[n])] - maxValue) }
        }
      }
    }
  }

  public func softmaxCrossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: [Int32], dloss: Float, N: Int, V: Int) {
    requireCount(dlogits, N * V, "softmaxCrossEntropyBackward dlogits")
    requireCount(probs, N * V, "softmaxCrossEntropyBackward probs")
    precondition(targets.count == N, "softmaxCrossEntropyBackward: \(targets.count) targets for N = \(N)")
    precondition(targets.allSatisfy { $0 >= 0 && Int($0) < V }, "softmaxCrossEntropyBackward: target outside 0..<\(V)")
    let d = dlogits.hostPointer, p = probs.hostPointer
    targets.withUnsafeBufferPointer { tp in
      parallelFor(N, grain: max(1, 16384 / max(V, 1))) { rows in
        for n in rows {
          let dRow = d + n * V, pRow = p + n * V
          var i = 0
          while i + 16 <= V {
            store(load(dRow + i) + load(pRow + i) * dloss, dRow + i)
            i += 16
          }
          while i < V {
            dRow[i] += pRow[i] * dloss
            i += 1
          }
          dRow[Int(tp[n])] -= dloss
        }
      }
    }
  }
}
