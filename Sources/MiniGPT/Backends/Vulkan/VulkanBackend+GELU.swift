// GELU (tanh approximation, GPT-2's gelu_new) on Vulkan: Shaders/gelu_forward.comp and
// gelu_backward.comp, one invocation per element (llm.c gelu_forward / gelu_backward).

extension VulkanBackend {
  public func geluForward(out: Tensor, inp: Tensor, N: Int) {
    precondition(out.count == N && inp.count == N, "geluForward: shapes")
    guard N > 0 else { return }
    dispatch(VulkanSPIRV.geluForward, [.write(out), .read(inp)], constants(N), groups: groups(N, workgroupSize: 256))
  }

  public func geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: Int) {
    precondition(dinp.count == N && inp.count == N && dout.count == N, "geluBackward: shapes")
    guard N > 0 else { return }
    dispatch(
      VulkanSPIRV.geluBackward, [.write(dinp), .read(inp), .read(dout)], constants(N),
      groups: groups(N, workgroupSize: 256))
  }
}
