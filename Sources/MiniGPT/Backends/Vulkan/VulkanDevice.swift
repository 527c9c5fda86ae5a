// The logical device: one compute queue, the device function table, the limits the backend
// obeys (storage-buffer offset alignment and range, workgroup counts) and memory-type choice.
// Reference: Vulkan 1.3 spec §5 (Devices and Queues), §11.2 (Device Memory).
import CVulkan

final class VulkanDevice {
  let instance: VulkanInstance
  let info: VulkanDeviceInfo
  let physicalDevice: VkPhysicalDevice
  let handle: VkDevice
  let functions: CVkDeviceFunctions
  let queue: VkQueue
  let queueFamily: UInt32
  /// Byte alignment of a storage-buffer binding's offset (at least 4).
  let storageOffsetAlignment: Int
  /// Largest byte range one storage-buffer binding may cover.
  let maxStorageBufferRange: Int
  /// Largest workgroup count per dispatch dimension.
  let maxWorkgroupCount: (x: UInt32, y: UInt32)
  private let memoryProperties: VkPhysicalDeviceMemoryProperties

  /// Chooses a device: `deviceIndex` if given, else the best-ranked type (discrete > integrated >
  /// virtual > CPU), or with `preferHardware == false` the software (CPU) device first.
  init(instance: VulkanInstance, preferHardware: Bool, deviceIndex: Int?) throws {
    self.instance = instance
    let devices = instance.physicalDevices()
    let hint = VulkanLoader.hint
    let chosen: (handle: VkPhysicalDevice, info: VulkanDeviceInfo)
    if let deviceIndex {
      guard let match = devices.first(where: { $0.info.index == deviceIndex }) else {
        throw EngineError.backendUnavailable(
          "no Vulkan device \(deviceIndex) (found \(devices.count): \(devices.map(\.info.name)))", hint: hint)
      }
      chosen = match
    } else {
      let ranked = devices.sorted { a, b in
        let ra = preferHardware ? a.info.type.rawValue : (a.info.type == .cpu ? 100 : a.info.type.rawValue)
        let rb = preferHardware ? b.info.type.rawValue : (b.info.type == .cpu ? 100 : b.info.type.rawValue)
        return ra != rb ? ra > rb : a.info.index < b.info.index
      }
      guard let best = ranked.first else {
        throw EngineError.backendUnavailable("the Vulkan loader found no device", hint: hint)
      }
      chosen = best
    }
    info = chosen.info
    physicalDevice = chosen.handle
    let fn = instance.functions

    var familyCount: UInt32 = 0
    fn.vkGetPhysicalDeviceQueueFamilyProperties!(physicalDevice, &familyCount, nil)
    var families = [VkQueueFamilyProperties](repeating: VkQueueFamilyProperties(), count: Int(familyCount))
    fn.vkGetPhysicalDeviceQueueFamilyProperties!(physicalDevice, &familyCount, &families)
    let computeBit = VK_QUEUE_COMPUTE_BIT.rawValue
    guard let family = families.firstIndex(where: { $0.queueFlags & computeBit != 0 && $0.queueCount > 0 }) else {
      throw EngineError.backendUnavailable("\(info.name) has no compute queue", hint: hint)
    }
    queueFamily = UInt32(family)

    // A device that lists VK_KHR_portability_subset (MoltenVK) must have it enabled.
    var extensions: [String] = []
    var extensionCount: UInt32 = 0
    if fn.vkEnumerateDeviceExtensionProperties!(physicalDevice, nil, &extensionCount, nil) == VK_SUCCESS {
      var properties = [VkExtensionProperties](repeating: VkExtensionProperties(), count: Int(extensionCount))
      _ = fn.vkEnumerateDeviceExtensionProperties!(physicalDevice, nil, &extensionCount, &properties)
      if properties.prefix(Int(extensionCount)).contains(where: { fixedString($0.extensionName) == "VK_KHR_portability_subset" })
      {
        extensions.append("VK_KHR_portability_subset")
      }
    }

    var device: VkDevice?
    var priority: Float = 1
    let physical = physicalDevice
    let result = withCStringArray(extensions) { names in
      withUnsafePointer(to: &priority) { priorityPointer in
        var queueInfo = VkDeviceQueueCreateInfo(
          sType: VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, pNext: nil, flags: 0,
          queueFamilyIndex: UInt32(family), queueCount: 1, pQueuePriorities: priorityPointer)
        return withUnsafePointer(to: &queueInfo) { queuePointer in
          var info = VkDeviceCreateInfo(
            sType: VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, pNext: nil, flags: 0,
            queueCreateInfoCount: 1, pQueueCreateInfos: queuePointer,
            enabledLayerCount: 0, ppEnabledLayerNames: nil,
            enabledExtensionCount: UInt32(extensions.count), ppEnabledExtensionNames: names,
            pEnabledFeatures: nil)
          return fn.vkCreateDevice!(physical, &info, nil, &device)
        }
      }
    }
    guard result == VK_SUCCESS, let device else {
      throw EngineError.backendUnavailable("vkCreateDevice failed on \(info.name) (VkResult \(result.rawValue))", hint: hint)
    }
    handle = device
    var functions = CVkDeviceFunctions()
    let missing = withUnsafePointer(to: fn) { cvk_load_device_functions($0, device, &functions) }
    guard missing == 0 else {
      functions.vkDestroyDevice?(device, nil)
      throw EngineError.backendUnavailable("\(info.name) lacks \(missing) core Vulkan functions", hint: hint)
    }
    self.functions = functions
    var queue: VkQueue?
    functions.vkGetDeviceQueue!(device, UInt32(family), 0, &queue)
    self.queue = queue!

    var properties = VkPhysicalDeviceProperties()
    fn.vkGetPhysicalDeviceProperties!(physicalDevice, &properties)
    let limits = properties.limits
    // The shaders use workgroups of up to 256 invocations; Vulkan only promises 128.
    guard limits.maxComputeWorkGroupInvocations >= 256 else {
      functions.vkDestroyDevice!(device, nil)
      throw EngineError.backendUnavailable(
        "\(info.name) runs at most \(limits.maxComputeWorkGroupInvocations) invocations per workgroup; the shaders need 256",
        hint: "use --backend cpu")
    }
    storageOffsetAlignment = max(4, Int(limits.minStorageBufferOffsetAlignment))
    maxStorageBufferRange = Int(limits.maxStorageBufferRange) & ~3
    maxWorkgroupCount = (limits.maxComputeWorkGroupCount.0, limits.maxComputeWorkGroupCount.1)
    var memory = VkPhysicalDeviceMemoryProperties()
    fn.vkGetPhysicalDeviceMemoryProperties!(physicalDevice, &memory)
    memoryProperties = memory
  }

  deinit {
    _ = functions.vkDeviceWaitIdle!(handle)
    functions.vkDestroyDevice!(handle, nil)
  }

  /// A memory type allowed by `allowedTypes` (a VkMemoryRequirements bit mask) having all of
  /// `required`, preferring one that also has `preferred`; nil if none.
  func memoryType(allowedTypes: UInt32, required: UInt32, preferred: UInt32) -> UInt32? {
    let count = Int(memoryProperties.memoryTypeCount)
    return withUnsafeBytes(of: memoryProperties.memoryTypes) { raw -> UInt32? in
      let types = raw.bindMemory(to: VkMemoryType.self)
      let candidates = (0..<min(count, types.count)).filter {
        allowedTypes & (1 << UInt32($0)) != 0 && types[$0].propertyFlags & required == required
      }
      let best = candidates.first { types[$0].propertyFlags & preferred == preferred } ?? candidates.first
      return best.map { UInt32($0) }
    }
  }
}

/// Traps when a Vulkan call that cannot fail in a correct program does fail (the validation
/// layer explains why); calls that can fail on resources (allocation) throw instead.
func vkCheck(_ result: VkResult, _ what: @autoclosure () -> String) {
  precondition(result == VK_SUCCESS, "Vulkan: \(what()) failed (VkResult \(result.rawValue))")
}
