// VkBuffer + its VkDeviceMemory as one Swift object, and VulkanStorage, the backend's tensor
// storage: a device-local buffer that the host reaches only through staging copies.
// Reference: Vulkan 1.3 spec §12.1 (Buffers), §11.2.6 (Host Access to Device Memory).
import CVulkan

final class VulkanBuffer {
  let device: VulkanDevice
  let handle: VkBuffer
  let memory: VkDeviceMemory
  let byteCount: Int
  /// The persistent host mapping of a host-visible buffer; nil for device-local ones.
  let mapped: UnsafeMutableRawPointer?

  /// - Parameter hostVisible: a coherent host-mapped staging buffer (preferably cached, which
  ///   makes read-back fast) instead of device-local memory.
  init(device: VulkanDevice, byteCount: Int, hostVisible: Bool) throws {
    precondition(byteCount > 0 && byteCount % 4 == 0, "buffer size \(byteCount)")
    self.device = device
    self.byteCount = byteCount
    let fn = device.functions
    let usage =
      VK_BUFFER_USAGE_TRANSFER_SRC_BIT.rawValue | VK_BUFFER_USAGE_TRANSFER_DST_BIT.rawValue
      | (hostVisible ? 0 : VK_BUFFER_USAGE_STORAGE_BUFFER_BIT.rawValue)
    var info = VkBufferCreateInfo(
      sType: VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, pNext: nil, flags: 0, size: VkDeviceSize(byteCount),
      usage: usage, sharingMode: VK_SHARING_MODE_EXCLUSIVE, queueFamilyIndexCount: 0, pQueueFamilyIndices: nil)
    var buffer: VkBuffer?
    let what = "\(byteCount / 1_048_576) MiB (\(byteCount) bytes) on \(device.info.name)"
    guard fn.vkCreateBuffer!(device.handle, &info, nil, &buffer) == VK_SUCCESS, let buffer else {
      throw EngineError.outOfMemory("cannot create a Vulkan buffer of \(what)")
    }
    var requirements = VkMemoryRequirements()
    fn.vkGetBufferMemoryRequirements!(device.handle, buffer, &requirements)
    let hostBits = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT.rawValue | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT.rawValue
    let deviceLocal = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT.rawValue
    let typeIndex =
      hostVisible
      ? device.memoryType(
        allowedTypes: requirements.memoryTypeBits, required: hostBits,
        preferred: VK_MEMORY_PROPERTY_HOST_CACHED_BIT.rawValue)
      : device.memoryType(allowedTypes: requirements.memoryTypeBits, required: 0, preferred: deviceLocal)
    guard let typeIndex else {
      fn.vkDestroyBuffer!(device.handle, buffer, nil)
      throw EngineError.outOfMemory("no suitable Vulkan memory type for \(what)")
    }
    var allocation = VkMemoryAllocateInfo(
      sType: VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, pNext: nil,
      allocationSize: requirements.size, memoryTypeIndex: typeIndex)
    var memory: VkDeviceMemory?
    let result = fn.vkAllocateMemory!(device.handle, &allocation, nil, &memory)
    guard result == VK_SUCCESS, let memory else {
      fn.vkDestroyBuffer!(device.handle, buffer, nil)
      throw EngineError.outOfMemory("cannot allocate \(what) (VkResult \(result.rawValue))")
    }
    vkCheck(fn.vkBindBufferMemory!(device.handle, buffer, memory, 0), "vkBindBufferMemory")
    var pointer: UnsafeMutableRawPointer?
    if hostVisible {
      vkCheck(fn.vkMapMemory!(device.handle, memory, 0, VkDeviceSize(byteCount), 0, &pointer), "vkMapMemory")
    }
    self.handle = buffer
    self.memory = memory
    self.mapped = pointer
  }

  deinit {
    let fn = device.functions
    if mapped != nil { fn.vkUnmapMemory!(device.handle, memory) }
    fn.vkDestroyBuffer!(device.handle, handle, nil)
    fn.vkFreeMemory!(device.handle, memory, nil)
  }
}

/// A Vulkan backend tensor storage: `count` floats in a device-local buffer.
final class VulkanStorage: Storage {
  let count: Int
  let buffer: VulkanBuffer

  init(device: VulkanDevice, count: Int) throws {
    self.count = count
    buffer = try VulkanBuffer(device: device, byteCount: max(count, 1) * 4, hostVisible: false)
  }
}
