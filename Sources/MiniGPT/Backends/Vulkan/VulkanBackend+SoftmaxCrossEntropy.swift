// Softmax + cross-entropy on Vulkan: Shaders/softmax_cross_entropy_forward.comp (one workgroup
// per row of logits) and the fused backward softmax_cross_entropy_backward.comp (one invocation
// per logit). Targets go up through staging with the kernel, like token ids.

extension VulkanBackend {
  public func softmaxCrossEntropyForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: [Int32]?, N: Int, V: Int) {
    precondition(probs.count == N * V && logits.count == N * V, "softmaxCrossEntropyForward: shapes")
    precondition(targets == nil || (targets!.count == N && losses.count == N), "softmaxCrossEntropyForward: targets")
    guard N * V > 0 else { return }
    // Without targets the losses are not touched, so they are not bound either.
    dispatch(
      VulkanSPIRV.softmaxCrossEntropyForward,
      [targets == nil ? .unused : .write(losses), .write(probs), .read(logits), targets.map { .ids($0) } ?? .unused],
      constants(N, V, targets == nil ? 0 : 1), groups: rowGroups(N))
  }

  public func softmaxCrossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: [Int32], dloss: Float, N: Int, V: Int) {
    precondition(dlogits.count == N * V && probs.count == N * V && targets.count == N, "softmaxCrossEntropyBackward: shapes")
    guard N * V > 0 else { return }
    dispatch(
      VulkanSPIRV.softmaxCrossEntropyBackward, [.write(dlogits), .read(probs), .ids(targets)],
      constants(N, V) + [dloss.bitPattern], groups: groups(N * V, workgroupSize: 256))
  }
}
