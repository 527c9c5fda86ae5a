// Residual connections on Vulkan: Shaders/residual_forward.comp (out = a + b) and
// residual_backward.comp (da += dout, db += dout), one invocation per element.

extension VulkanBackend {
  public func residualForward(out: Tensor, a: Tensor, b: Tensor, N: Int) {
    precondition(out.count == N && a.count == N && b.count == N, "residualForward: shapes")
    guard N > 0 else { return }
    dispatch(
      VulkanSPIRV.residualForward, [.write(out), .read(a), .read(b)], constants(N),
      groups: groups(N, workgroupSize: 256))
  }

  public func residualBackward(da: Tensor, db: Tensor, dout: Tensor, N: Int) {
    precondition(da.count == N && db.count == N && dout.count == N, "residualBackward: shapes")
    guard N > 0 else { return }
    dispatch(
      VulkanSPIRV.residualBackward, [.write(da), .write(db), .read(dout)], constants(N),
      groups: groups(N, workgroupSize: 256))
  }
}
