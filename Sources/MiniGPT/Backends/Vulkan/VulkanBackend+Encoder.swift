// Token and position embeddings on Vulkan: Shaders/encoder_forward.comp and
// encoder_backward_{wte,wpe}.comp (llm.c encoder_forward / encoder_backward).
// Token ids go up through staging into device scratch memory, recorded with the kernel.

extension VulkanBackend {
  public func encoderForward(out: Tensor, tokens: [Int32], wte: Tensor, wpe: Tensor, B: Int, T: Int, C: Int, positionOffset: Int)
  {
    precondition(tokens.count == B * T && out.count == B * T * C, "encoderForward: shapes")
    precondition(
      C > 0 && wte.count % C == 0 && wpe.count % C == 0 && positionOffset + T <= wpe.count / C,
      "encoderForward: table shapes")
    guard B * T > 0 else { return }
    dispatch(
      VulkanSPIRV.encoderForward, [.write(out), .ids(tokens), .read(wte), .read(wpe)],
      constants(B, T, C, wte.count / C, wpe.count / C, positionOffset),
      groups: groups(B * T * C, workgroupSize: 256))
  }

  public func encoderBackward(dwte: Tensor, dwpe: Tensor, dout: Tensor, tokens: [Int32], B: Int, T: Int, C: Int) {
    precondition(tokens.count == B * T && dout.count == B * T * C, "encoderBackward: shapes")
    precondition(C > 0 && dwte.count % C == 0 && T * C <= dwpe.count, "encoderBackward: table shapes")
    guard B * T > 0 else { return }
    dispatch(
      VulkanSPIRV.encoderBackwardWte, [.write(dwte), .ids(tokens), .read(dout)],
      constants(B * T, C, dwte.count / C), groups: groups(C, workgroupSize: 64))
    dispatch(
      VulkanSPIRV.encoderBackwardWpe, [.write(dwpe), .read(dout)],
      constants(B, T, C), groups: groups(T * C, workgroupSize: 256))
  }
}
