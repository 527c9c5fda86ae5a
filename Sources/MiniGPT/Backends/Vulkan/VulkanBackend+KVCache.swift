// KV-cache decoding (batch 1) on Vulkan: kv_cache_write.comp appends the new k and v rows, and
// attention over the cache reuses the attention shaders with the cache's row stride and the
// query's absolute position (attention_softmax.comp, attention_values.comp).

extension VulkanBackend {
  public func kvCacheWrite(kCache: Tensor, vCache: Tensor, qkv: Tensor, T: Int, C: Int, position: Int) {
    precondition(
      C > 0 && qkv.count == T * 3 * C && kCache.count == vCache.count && kCache.count % C == 0,
      "kvCacheWrite: shapes")
    let maxT = kCache.count / C
    precondition(position >= 0 && position + T <= maxT, "kvCacheWrite: rows \(position)..<\(position + T) outside \(maxT)")
    guard T > 0 else { return }
    dispatch(
      VulkanSPIRV.kvCacheWrite, [.write(kCache), .write(vCache), .read(qkv)],
      constants(T, C, position, maxT), groups: groups(T * C, workgroupSize: 256))
  }

  public func attentionCachedForward(
    out: Tensor, att: Tensor, qkv: Tensor, kCache: Tensor, vCache: Tensor,
    T: Int, C: Int, NH: Int, position: Int, maxT: Int
  ) {
    precondition(NH > 0 && C % NH == 0, "attentionCachedForward: C \(C) not divisible by NH \(NH)")
    precondition(out.count == T * C && qkv.count == T * 3 * C && att.count == NH * T * maxT, "attentionCachedForward: shapes")
    precondition(kCache.count == maxT * C && vCache.count == maxT * C, "attentionCachedForward: cache shapes")
    precondition(position >= 0 && position + T <= maxT, "attentionCachedForward: position \(position) + \(T) > \(maxT)")
    guard T > 0 else { return }
    // Params: B, T, NH, HS, L, position, hasPreatt, qRowStride, kRowStride, kBatchStride.
    dispatch(
      VulkanSPIRV.attentionSoftmax, [.write(att), .unused, .read(qkv), .read(kCache)],
      constants(1, T, NH, C / NH, maxT, position, 0, 3 * C, C, 0), groups: rowGroups(NH * T))
    // Params: B, T, C, NH, L, position, vRowStride, vBatchStride.
    dispatch(
      VulkanSPIRV.attentionValues, [.write(out), .read(att), .read(vCache)],
      constants(1, T, C, NH, maxT, position, C, 0), groups: groups(T * C, workgroupSize: 256))
  }
}
