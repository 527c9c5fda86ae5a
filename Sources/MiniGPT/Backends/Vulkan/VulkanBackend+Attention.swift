// Causal self-attention on Vulkan (llm.c attention_forward / attention_backward).
// Forward: attention_softmax.comp (scores, mask, softmax; one workgroup per (b,h,t) row), then
// attention_values.comp (att·v). Backward: datt, softmax backward, then dq/dk/dv gathered per
// output element so that no two invocations write one value (no float atomics).
// Legend: B batch, T time, C channels, NH heads, HS = C/NH head size; qkv rows hold q | k | v.

extension VulkanBackend {
  public func attentionForward(out: Tensor, preatt: Tensor, att: Tensor, qkv: Tensor, B: Int, T: Int, C: Int, NH: Int) {
    precondition(NH > 0 && C % NH == 0, "attentionForward: C \(C) not divisible by NH \(NH)")
    precondition(out.count == B * T * C && qkv.count == B * T * 3 * C, "attentionForward: shapes")
    precondition(preatt.count == B * NH * T * T && att.count == B * NH * T * T, "attentionForward: score shapes")
    guard B * T * C > 0 else { return }
    let keys = qkv.view(start: C, shape: [qkv.count - C])
    let values = qkv.view(start: 2 * C, shape: [qkv.count - 2 * C])
    // Params: B, T, NH, HS, L, position, hasPreatt, qRowStride, kRowStride, kBatchStride.
    dispatch(
      VulkanSPIRV.attentionSoftmax, [.write(att), .write(preatt), .read(qkv), .read(keys)],
      constants(B, T, NH, C / NH, T, 0, 1, 3 * C, 3 * C, T * 3 * C), groups: rowGroups(B * NH * T))
    // Params: B, T, C, NH, L, position, vRowStride, vBatchStride.
    dispatch(
      VulkanSPIRV.attentionValues, [.write(out), .read(att), .read(values)],
      constants(B, T, C, NH, T, 0, 3 * C, T * 3 * C), groups: groups(B * T * C, workgroupSize: 256))
  }

  public func attentionBackward(
    dqkv: Tensor, dpreatt: Tensor, datt: Tensor, dout: Tensor, qkv: Tensor, att: Tensor,
    B: Int, T: Int, C: Int, NH: Int
  ) {
    precondition(NH > 0 && C % NH == 0, "attentionBackward: C \(C) not divisible by NH \(NH)")
    precondition(
      dqkv.count == B * T * 3 * C && qkv.count == B * T * 3 * C && dout.count == B * T * C,
      "attentionBackward: shapes")
    let scores = B * NH * T * T
    precondition(dpreatt.count == scores && datt.count == scores && att.count == scores, "attentionBackward: score shapes")
    guard B * T * C > 0 else { return }
    dispatch(
      VulkanSPIRV.attentionBackwardDatt, [.write(datt), .read(qkv), .read(dout)],
      constants(B, T, C, NH), groups: groups(scores, workgroupSize: 256))
    dispatch(
      VulkanSPIRV.attentionBackwardSoftmax, [.write(dpreatt), .read(att), .read(datt)],
      constants(B, T, NH), groups: rowGroups(B * NH * T))
    dispatch(
      VulkanSPIRV.attentionBackwardQkv, [.write(dqkv), .read(qkv), .read(att), .read(dpreatt), .read(dout)],
      constants(B, T, C, NH), groups: groups(B * T * C, workgroupSize: 256))
  }
}
