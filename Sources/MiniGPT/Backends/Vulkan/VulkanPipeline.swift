// Compute pipelines, one per shader, created once when the backend starts. Every shader takes
// n storage buffers at bindings 0..<n of set 0 and up to 128 bytes of push constants (the
// minimum every device supports), so layouts are shared by binding count (as ggml-vulkan does).
// Reference: Vulkan 1.3 spec §10 (Pipelines), §14.2 (Descriptor Sets), §14.9 (Push Constants).
import CVulkan

/// One compute pipeline and the layout to bind its descriptors and push constants with.
final class VulkanPipeline {
  let name: String
  let handle: VkPipeline
  let layout: VkPipelineLayout
  let setLayout: VkDescriptorSetLayout
  let bindingCount: Int

  fileprivate init(
    name: String, handle: VkPipeline, layout: VkPipelineLayout, setLayout: VkDescriptorSetLayout, bindingCount: Int
  ) {
    self.name = name
    self.handle = handle
    self.layout = layout
    self.setLayout = setLayout
    self.bindingCount = bindingCount
  }
}

/// Owns every pipeline of the backend and the shared layouts.
final class VulkanPipelineLibrary {
  static let pushConstantBytes = 128
  private let device: VulkanDevice
  private var setLayouts: [Int: VkDescriptorSetLayout] = [:]
  private var pipelineLayouts: [Int: VkPipelineLayout] = [:]
  private var pipelines: [String: VulkanPipeline] = [:]

  /// Builds a pipeline for each (shader, storage-buffer count) pair.
  init(device: VulkanDevice, shaders: [(VulkanSPIRV.Shader, bindingCount: Int)]) throws {
    self.device = device
    for (shader, bindingCount) in shaders {
      pipelines[shader.name] = try makePipeline(shader, bindingCount: bindingCount)
    }
  }

  deinit {
    let fn = device.functions
    for pipeline in pipelines.values { fn.vkDestroyPipeline!(device.handle, pipeline.handle, nil) }
    for layout in pipelineLayouts.values { fn.vkDestroyPipelineLayout!(device.handle, layout, nil) }
    for layout in setLayouts.values { fn.vkDestroyDescriptorSetLayout!(device.handle, layout, nil) }
  }

  subscript(shader: VulkanSPIRV.Shader) -> VulkanPipeline {
    guard let pipeline = pipelines[shader.name] else { preconditionFailure("no pipeline for \(shader.name)") }
    return pipeline
  }

  private func layouts(bindingCount: Int) throws -> (VkDescriptorSetLayout, VkPipelineLayout) {
    if let set = setLayouts[bindingCount], let pipeline = pipelineLayouts[bindingCount] { return (set, pipeline) }
    let fn = device.functions
    let bindings = (0..<bindingCount).map { index in
      VkDescriptorSetLayoutBinding(
        binding: UInt32(index), descriptorType: VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, descriptorCount: 1,
        stageFlags: VK_SHADER_STAGE_COMPUTE_BIT.rawValue, pImmutableSamplers: nil)
    }
    var setLayout: VkDescriptorSetLayout?
    let setResult = bindings.withUnsafeBufferPointer { list in
      var info = VkDescriptorSetLayoutCreateInfo(
        sType: VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, pNext: nil, flags: 0,
        bindingCount: UInt32(bindingCount), pBindings: list.baseAddress)
      return fn.vkCreateDescriptorSetLayout!(device.handle, &info, nil, &setLayout)
    }
    guard setResult == VK_SUCCESS, let setLayout else {
      throw EngineError.outOfMemory("vkCreateDescriptorSetLayout failed (VkResult \(setResult.rawValue))")
    }
    setLayouts[bindingCount] = setLayout
    var range = VkPushConstantRange(
      stageFlags: VK_SHADER_STAGE_COMPUTE_BIT.rawValue, offset: 0, size: UInt32(Self.pushConstantBytes))
    var setLayoutOptional: VkDescriptorSetLayout? = setLayout
    var pipelineLayout: VkPipelineLayout?
    let result = withUnsafePointer(to: &setLayoutOptional) { setPointer in
      withUnsafePointer(to: &range) { rangePointer in
        var info = VkPipelineLayoutCreateInfo(
          sType: VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, pNext: nil, flags: 0,
          setLayoutCount: 1, pSetLayouts: setPointer, pushConstantRangeCount: 1, pPushConstantRanges: rangePointer)
        return fn.vkCreatePipelineLayout!(device.handle, &info, nil, &pipelineLayout)
      }
    }
    guard result == VK_SUCCESS, let pipelineLayout else {
      throw EngineError.outOfMemory("vkCreatePipelineLayout failed (VkResult \(result.rawValue))")
    }
    pipelineLayouts[bindingCount] = pipelineLayout
    return (setLayout, pipelineLayout)
  }

  private func makePipeline(_ shader: VulkanSPIRV.Shader, bindingCount: Int) throws -> VulkanPipeline {
    let fn = device.functions
    let (setLayout, layout) = try layouts(bindingCount: bindingCount)
    var module: VkShaderModule?
    let moduleResult = shader.words.withUnsafeBufferPointer { words in
      var info = VkShaderModuleCreateInfo(
        sType: VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, pNext: nil, flags: 0,
        codeSize: words.count * 4, pCode: words.baseAddress)
      return fn.vkCreateShaderModule!(device.handle, &info, nil, &module)
    }
    guard moduleResult == VK_SUCCESS, let module else {
      throw EngineError.backendUnavailable(
        "\(device.info.name) rejected shader \(shader.name) (VkResult \(moduleResult.rawValue))", hint: VulkanLoader.hint)
    }
    defer { fn.vkDestroyShaderModule!(device.handle, module, nil) }
    var pipeline: VkPipeline?
    let result = "main".withCString { entry in
      let stage = VkPipelineShaderStageCreateInfo(
        sType: VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, pNext: nil, flags: 0,
        stage: VK_SHADER_STAGE_COMPUTE_BIT, module: module, pName: entry, pSpecializationInfo: nil)
      var info = VkComputePipelineCreateInfo(
        sType: VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO, pNext: nil, flags: 0, stage: stage,
        layout: layout, basePipelineHandle: nil, basePipelineIndex: -1)
      return fn.vkCreateComputePipelines!(device.handle, nil, 1, &info, nil, &pipeline)
    }
    guard result == VK_SUCCESS, let pipeline else {
      throw EngineError.backendUnavailable(
        "\(device.info.name) could not build pipeline \(shader.name) (VkResult \(result.rawValue))", hint: VulkanLoader.hint)
    }
    return VulkanPipeline(name: shader.name, handle: pipeline, layout: layout, setLayout: setLayout, bindingCount: bindingCount)
  }
}
