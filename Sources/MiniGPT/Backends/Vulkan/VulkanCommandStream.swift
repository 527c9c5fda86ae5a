// Records every kernel, copy and fill into ONE command buffer that is submitted only when the
// host needs a result (read, sumOfSquares, synchronize) — one submit per forward/backward, not
// per kernel. A barrier goes in only between commands whose buffer ranges conflict (read after
// write, write after read or write), so independent kernels may overlap on the GPU. Host data
// travels through a mapped staging buffer; descriptor pools are reset after each submit.
// Reference: Vulkan 1.3 spec §6 (Command Buffers), §7.6 (Pipeline Barriers), §14.2.3 (pools).
import CVulkan
import Foundation

/// A tensor (or scratch range) as one storage-buffer descriptor: the buffer bound from an offset
/// that obeys minStorageBufferOffsetAlignment; the shader adds `elementOffset` to its indices.
struct VulkanBinding {
  let buffer: VulkanBuffer
  let bindOffset: Int
  let bindRange: Int
  let elementOffset: UInt32
  /// Bytes the command may touch, for hazard tracking.
  let access: Range<Int>
  let writes: Bool
}

/// Buffer ranges touched since the last barrier.
struct VulkanHazards {
  struct Access {
    let buffer: ObjectIdentifier
    let range: Range<Int>
    let writes: Bool
  }
  private var pending: [Access] = []

  /// True when `accesses` conflict with a pending access (at least one of the two writes).
  func conflict(_ accesses: [Access]) -> Bool {
    accesses.contains { a in
      pending.contains { p in p.buffer == a.buffer && (a.writes || p.writes) && p.range.overlaps(a.range) }
    }
  }
  mutating func add(_ accesses: [Access]) { pending += accesses }
  mutating func clear() { pending.removeAll(keepingCapacity: true) }
}

final class VulkanCommandStream {
  private let device: VulkanDevice
  private let commandPool: VkCommandPool
  private let commandBuffer: VkCommandBuffer
  private let fence: VkFence
  private var descriptorPools: [VkDescriptorPool] = []
  private var poolIndex = 0
  private var setsInPool = 0
  private static let setsPerPool = 512
  private static let maxBindings = 8
  /// Host-visible staging memory, used front to back within one submission.
  private let staging: VulkanBuffer
  private var stagingUsed = 0
  /// Device-local memory for token ids uploaded together with the kernels that read them.
  private var scratch: VulkanBuffer
  private var scratchUsed = 0
  /// Buffers referenced by recorded commands stay alive until the GPU is done with them.
  private var retained: [VulkanBuffer] = []
  private var hazards = VulkanHazards()
  private var isRecording = false
  private var hostReadPending = false
  /// Commands recorded since the last submission; submissions and barriers so far (tests
  /// check the batching and that independent kernels are not serialised).
  private(set) var recordedCommands = 0
  private(set) var submissions = 0
  private(set) var barriers = 0
  /// Test hook: false records no barriers at all (to prove synchronization validation listens).
  var insertsBarriers = true

  init(device: VulkanDevice, stagingBytes: Int, scratchBytes: Int) throws {
    self.device = device
    let fn = device.functions
    var poolInfo = VkCommandPoolCreateInfo(
      sType: VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, pNext: nil,
      flags: VK_COMMAND_POOL_CREATE_TRANSIENT_BIT.rawValue, queueFamilyIndex: device.queueFamily)
    var pool: VkCommandPool?
    vkCheck(fn.vkCreateCommandPool!(device.handle, &poolInfo, nil, &pool), "vkCreateCommandPool")
    commandPool = pool!
    var allocateInfo = VkCommandBufferAllocateInfo(
      sType: VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, pNext: nil, commandPool: pool,
      level: VK_COMMAND_BUFFER_LEVEL_PRIMARY, commandBufferCount: 1)
    var buffer: VkCommandBuffer?
    vkCheck(fn.vkAllocateCommandBuffers!(device.handle, &allocateInfo, &buffer), "vkAllocateCommandBuffers")
    commandBuffer = buffer!
    var fenceInfo = VkFenceCreateInfo(sType: VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, pNext: nil, flags: 0)
    var fence: VkFence?
    vkCheck(fn.vkCreateFence!(device.handle, &fenceInfo, nil, &fence), "vkCreateFence")
    self.fence = fence!
    staging = try VulkanBuffer(device: device, byteCount: stagingBytes, hostVisible: true)
    scratch = try VulkanBuffer(device: device, byteCount: scratchBytes, hostVisible: false)
  }

  deinit {
    let fn = device.functions
    if isRecording { _ = fn.vkEndCommandBuffer!(commandBuffer) }  // discarded, never submitted
    for pool in descriptorPools { fn.vkDestroyDescriptorPool!(device.handle, pool, nil) }
    fn.vkDestroyFence!(device.handle, fence, nil)
    fn.vkDestroyCommandPool!(device.handle, commandPool, nil)
  }

  // MARK: Recording

  /// Records a dispatch of `pipeline` with `bindings` at 0..<n and `constants` as push constants.
  func dispatch(_ pipeline: VulkanPipeline, _ bindings: [VulkanBinding], constants: [UInt32], groups: (x: Int, y: Int)) {
    precondition(bindings.count == pipeline.bindingCount, "\(pipeline.name): \(bindings.count) bindings")
    precondition(constants.count * 4 <= VulkanPipelineLibrary.pushConstantBytes, "\(pipeline.name): push constants")
    precondition(
      groups.x >= 1 && groups.y >= 1 && groups.x <= Int(device.maxWorkgroupCount.x)
        && groups.y <= Int(device.maxWorkgroupCount.y), "\(pipeline.name): \(groups) workgroups")
    begin()
    order(bindings.map { VulkanHazards.Access(buffer: ObjectIdentifier($0.buffer), range: $0.access, writes: $0.writes) })
    let fn = device.functions
    let set = allocateDescriptorSet(pipeline.setLayout)
    let infos = bindings.map {
      VkDescriptorBufferInfo(buffer: $0.buffer.handle, offset: VkDeviceSize($0.bindOffset), range: VkDeviceSize($0.bindRange))
    }
    infos.withUnsafeBufferPointer { infoList in
      let writes = (0..<infos.count).map { index in
        VkWriteDescriptorSet(
          sType: VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, pNext: nil, dstSet: set, dstBinding: UInt32(index),
          dstArrayElement: 0, descriptorCount: 1, descriptorType: VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
          pImageInfo: nil, pBufferInfo: infoList.baseAddress! + index, pTexelBufferView: nil)
      }
      fn.vkUpdateDescriptorSets!(device.handle, UInt32(writes.count), writes, 0, nil)
    }
    fn.vkCmdBindPipeline!(commandBuffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.handle)
    var sets: [VkDescriptorSet?] = [set]
    fn.vkCmdBindDescriptorSets!(commandBuffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &sets, 0, nil)
    if !constants.isEmpty {
      constants.withUnsafeBytes { bytes in
        fn.vkCmdPushConstants!(
          commandBuffer, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT.rawValue, 0,
          UInt32(bytes.count), bytes.baseAddress)
      }
    }
    fn.vkCmdDispatch!(commandBuffer, UInt32(groups.x), UInt32(groups.y), 1)
    retained += bindings.map(\.buffer)
    recordedCommands += 1
  }

  /// Records filling `byteCount` bytes at `byteOffset` with a repeated 32-bit pattern.
  func fill(_ buffer: VulkanBuffer, byteOffset: Int, byteCount: Int, pattern: UInt32) {
    guard byteCount > 0 else { return }
    begin()
    order([.init(buffer: ObjectIdentifier(buffer), range: byteOffset..<byteOffset + byteCount, writes: true)])
    device.functions.vkCmdFillBuffer!(commandBuffer, buffer.handle, VkDeviceSize(byteOffset), VkDeviceSize(byteCount), pattern)
    retained.append(buffer)
    recordedCommands += 1
  }

  /// Records a buffer-to-buffer copy (the ranges must not overlap).
  func copy(
    from source: VulkanBuffer, at sourceOffset: Int, to destination: VulkanBuffer, at destinationOffset: Int, byteCount: Int
  ) {
    guard byteCount > 0 else { return }
    begin()
    order([
      .init(buffer: ObjectIdentifier(source), range: sourceOffset..<sourceOffset + byteCount, writes: false),
      .init(buffer: ObjectIdentifier(destination), range: destinationOffset..<destinationOffset + byteCount, writes: true),
    ])
    var region = VkBufferCopy(
      srcOffset: VkDeviceSize(sourceOffset), dstOffset: VkDeviceSize(destinationOffset), size: VkDeviceSize(byteCount))
    device.functions.vkCmdCopyBuffer!(commandBuffer, source.handle, destination.handle, 1, &region)
    retained += [source, destination]
    recordedCommands += 1
  }

  // MARK: Host transfers

  /// Host → device: copies `bytes` into staging now and records the copy to `buffer`. Larger
  /// uploads go in staging-sized pieces, submitting in between.
  func upload(_ bytes: UnsafeRawBufferPointer, to buffer: VulkanBuffer, at byteOffset: Int) {
    var done = 0
    while done < bytes.count {
      let piece = min(bytes.count - done, staging.byteCount)
      let at = reserveStaging(piece)
      (staging.mapped! + at).copyMemory(from: bytes.baseAddress! + done, byteCount: piece)
      copy(from: staging, at: at, to: buffer, at: byteOffset + done, byteCount: piece)
      done += piece
    }
  }

  /// Uploads token ids into device-local scratch memory and returns a read-only binding to them.
  func uploadScratch(_ values: [Int32]) -> VulkanBinding {
    let bytes = max(values.count, 1) * 4
    let aligned = (bytes + device.storageOffsetAlignment - 1) / device.storageOffsetAlignment * device.storageOffsetAlignment
    if scratchUsed + aligned > scratch.byteCount {
      submitAndWait()  // everything recorded so far reads the old contents: finish it first
      if aligned > scratch.byteCount {
        // Grow by doubling; allocation failure here is out of memory in the middle of a kernel.
        let size = max(aligned, scratch.byteCount * 2)
        do { scratch = try VulkanBuffer(device: device, byteCount: size, hostVisible: false) } catch {
          preconditionFailure("Vulkan: cannot grow the token scratch buffer to \(size) bytes: \(error)")
        }
      }
    }
    let at = scratchUsed
    values.withUnsafeBytes { upload($0, to: scratch, at: at) }
    // The upload may have submitted (staging full), which frees scratch: keep this range taken.
    scratchUsed = max(scratchUsed, at + aligned)
    return VulkanBinding(
      buffer: scratch, bindOffset: at, bindRange: aligned, elementOffset: 0,
      access: at..<at + aligned, writes: false)
  }

  /// Device → host: records copies into staging, submits, waits and copies out, piece by piece.
  func download(_ buffer: VulkanBuffer, at byteOffset: Int, into destination: UnsafeMutableRawBufferPointer) {
    guard destination.count > 0 else { return submitAndWait() }
    var done = 0
    repeat {
      let piece = min(destination.count - done, staging.byteCount)
      let at = reserveStaging(piece)
      copy(from: buffer, at: byteOffset + done, to: staging, at: at, byteCount: piece)
      hostReadPending = true
      submitAndWait()
      (destination.baseAddress! + done).copyMemory(from: staging.mapped! + at, byteCount: piece)
      done += piece
    } while done < destination.count
  }

  /// Submits what was recorded (if anything) and waits for the GPU to finish it.
  func submitAndWait() {
    guard isRecording else { return }
    let fn = device.functions
    if hostReadPending {
      var barrier = VkMemoryBarrier(
        sType: VK_STRUCTURE_TYPE_MEMORY_BARRIER, pNext: nil,
        srcAccessMask: VK_ACCESS_TRANSFER_WRITE_BIT.rawValue, dstAccessMask: VK_ACCESS_HOST_READ_BIT.rawValue)
      fn.vkCmdPipelineBarrier!(
        commandBuffer, VK_PIPELINE_STAGE_TRANSFER_BIT.rawValue, VK_PIPELINE_STAGE_HOST_BIT.rawValue,
        0, 1, &barrier, 0, nil, 0, nil)
    }
    vkCheck(fn.vkEndCommandBuffer!(commandBuffer), "vkEndCommandBuffer")
    let commandBuffers: [VkCommandBuffer?] = [commandBuffer]
    let result = commandBuffers.withUnsafeBufferPointer { list -> VkResult in
      var submit = VkSubmitInfo(
        sType: VK_STRUCTURE_TYPE_SUBMIT_INFO, pNext: nil, waitSemaphoreCount: 0, pWaitSemaphores: nil,
        pWaitDstStageMask: nil, commandBufferCount: 1, pCommandBuffers: list.baseAddress,
        signalSemaphoreCount: 0, pSignalSemaphores: nil)
      return fn.vkQueueSubmit!(device.queue, 1, &submit, fence)
    }
    vkCheck(result, "vkQueueSubmit")
    var fences: [VkFence?] = [fence]
    while true {
      let wait = fn.vkWaitForFences!(device.handle, 1, &fences, VK_TRUE, 1_000_000_000)
      if wait == VK_SUCCESS { break }
      precondition(wait == VK_TIMEOUT, "Vulkan: waiting for \(device.info.name) failed (VkResult \(wait.rawValue), device lost?)")
    }
    vkCheck(fn.vkResetFences!(device.handle, 1, &fences), "vkResetFences")
    vkCheck(fn.vkResetCommandPool!(device.handle, commandPool, 0), "vkResetCommandPool")
    for pool in descriptorPools.prefix(poolIndex + 1) {
      vkCheck(fn.vkResetDescriptorPool!(device.handle, pool, 0), "vkResetDescriptorPool")
    }
    poolIndex = 0
    setsInPool = 0
    stagingUsed = 0
    scratchUsed = 0
    retained.removeAll(keepingCapacity: true)
    hazards.clear()
    isRecording = false
    hostReadPending = false
    recordedCommands = 0
    submissions += 1
  }

  // MARK: Internals

  private func begin() {
    guard !isRecording else { return }
    var info = VkCommandBufferBeginInfo(
      sType: VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, pNext: nil,
      flags: VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT.rawValue, pInheritanceInfo: nil)
    vkCheck(device.functions.vkBeginCommandBuffer!(commandBuffer, &info), "vkBeginCommandBuffer")
    isRecording = true
  }

  /// Inserts one global memory barrier when `accesses` depend on earlier commands since the last one.
  private func order(_ accesses: [VulkanHazards.Access]) {
    if insertsBarriers && hazards.conflict(accesses) {
      let stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT.rawValue | VK_PIPELINE_STAGE_TRANSFER_BIT.rawValue
      var barrier = VkMemoryBarrier(
        sType: VK_STRUCTURE_TYPE_MEMORY_BARRIER, pNext: nil,
        srcAccessMask: VK_ACCESS_SHADER_WRITE_BIT.rawValue | VK_ACCESS_TRANSFER_WRITE_BIT.rawValue,
        dstAccessMask: VK_ACCESS_SHADER_READ_BIT.rawValue | VK_ACCESS_SHADER_WRITE_BIT.rawValue
          | VK_ACCESS_TRANSFER_READ_BIT.rawValue | VK_ACCESS_TRANSFER_WRITE_BIT.rawValue)
      device.functions.vkCmdPipelineBarrier!(commandBuffer, stages, stages, 0, 1, &barrier, 0, nil, 0, nil)
      hazards.clear()
      barriers += 1
    }
    hazards.add(accesses)
  }

  /// Byte offset of `byteCount` free staging bytes, submitting first if the buffer is full.
  private func reserveStaging(_ byteCount: Int) -> Int {
    precondition(byteCount <= staging.byteCount)
    if stagingUsed + byteCount > staging.byteCount { submitAndWait() }
    let at = stagingUsed
    stagingUsed += (byteCount + 15) / 16 * 16
    return at
  }

  private func allocateDescriptorSet(_ layout: VkDescriptorSetLayout) -> VkDescriptorSet {
    let fn = device.functions
    if setsInPool == Self.setsPerPool {
      poolIndex += 1
      setsInPool = 0
    }
    if poolIndex == descriptorPools.count {
      var size = VkDescriptorPoolSize(
        type: VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, descriptorCount: UInt32(Self.setsPerPool * Self.maxBindings))
      var pool: VkDescriptorPool?
      let result = withUnsafePointer(to: &size) { sizePointer in
        var info = VkDescriptorPoolCreateInfo(
          sType: VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, pNext: nil, flags: 0,
          maxSets: UInt32(Self.setsPerPool), poolSizeCount: 1, pPoolSizes: sizePointer)
        return fn.vkCreateDescriptorPool!(device.handle, &info, nil, &pool)
      }
      vkCheck(result, "vkCreateDescriptorPool")
      descriptorPools.append(pool!)
    }
    var layoutOptional: VkDescriptorSetLayout? = layout
    var set: VkDescriptorSet?
    let result = withUnsafePointer(to: &layoutOptional) { layoutPointer in
      var info = VkDescriptorSetAllocateInfo(
        sType: VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, pNext: nil,
        descriptorPool: descriptorPools[poolIndex], descriptorSetCount: 1, pSetLayouts: layoutPointer)
      return fn.vkAllocateDescriptorSets!(device.handle, &info, &set)
    }
    vkCheck(result, "vkAllocateDescriptorSets")
    setsInPool += 1
    return set!
  }
}
