// LayerNorm on Vulkan: Shaders/layernorm_forward.comp (one workgroup per row) and the backward
// pass split in two independent kernels — input gradient per row, parameter gradients per
// channel — that the command stream lets run side by side (llm.c layernorm_forward/backward).

extension VulkanBackend {
  public func layerNormForward(out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor, N: Int, C: Int)
  {
    precondition(out.count == N * C && inp.count == N * C && mean.count == N && rstd.count == N, "layerNormForward: shapes")
    precondition(weight.count == C && bias.count == C, "layerNormForward: parameter shapes")
    guard N * C > 0 else { return }
    dispatch(
      VulkanSPIRV.layernormForward,
      [.write(out), .write(mean), .write(rstd), .read(inp), .read(weight), .read(bias)],
      constants(N, C), groups: rowGroups(N))
  }

  public func layerNormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor, inp: Tensor, weight: Tensor,
    mean: Tensor, rstd: Tensor, N: Int, C: Int
  ) {
    precondition(dinp.count == N * C && dout.count == N * C && inp.count == N * C, "layerNormBackward: shapes")
    precondition(
      dweight.count == C && dbias.count == C && weight.count == C && mean.count == N && rstd.count == N,
      "layerNormBackward: parameter shapes")
    guard N * C > 0 else { return }
    dispatch(
      VulkanSPIRV.layernormBackwardInput,
      [.write(dinp), .read(dout), .read(inp), .read(weight), .read(mean), .read(rstd)],
      constants(N, C), groups: rowGroups(N))
    dispatch(
      VulkanSPIRV.layernormBackwardParams,
      [.write(dweight), .write(dbias), .read(dout), .read(inp), .read(mean), .read(rstd)],
      constants(N, C), groups: groups(C, workgroupSize: 64))
  }
}
