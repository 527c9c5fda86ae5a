// The Vulkan compute backend: the Backend contract (Tensor/Backend.swift) run as GLSL compute
// shaders (Shaders/*.comp, embedded as SPIR-V) on any Vulkan 1.0 device — a GPU, or Mesa's
// lavapipe on the CPU in CI. Storage is device-local; kernels are recorded into one command
// buffer that runs when a result is read (VulkanCommandStream). Kernel families live in
// VulkanBackend+<Family>.swift, named like the reference and CPU backends' files.
import CVulkan
import Foundation

/// Settings for tests and tuning; the public initializer uses the defaults.
struct VulkanOptions {
  /// Khronos validation with a counting debug messenger (MINIGPT_VULKAN_VALIDATION=1).
  var validation = ProcessInfo.processInfo.environment["MINIGPT_VULKAN_VALIDATION"] == "1"
  var printValidationMessages = true
  /// Host-visible staging memory; larger transfers go in pieces of this size.
  var stagingBytes = 16 << 20
  /// Device-local memory for token ids (grows on demand).
  var scratchBytes = 1 << 20
}

/// GPT-2's kernels on a Vulkan device. Like every backend, use it from one thread at a time.
public final class VulkanBackend: Backend {
  public let kind = BackendKind.vulkan
  /// E.g. "NVIDIA H100 (Vulkan 1.3)" or "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan 1.3, software)".
  public let deviceName: String
  /// The device this backend runs on.
  public let deviceInfo: VulkanDeviceInfo
  /// True on a CPU implementation of Vulkan (lavapipe): correct, but slower than the CPU backend.
  public var isSoftwareDevice: Bool { !deviceInfo.isHardware }

  let device: VulkanDevice
  let pipelines: VulkanPipelineLibrary
  let stream: VulkanCommandStream
  /// Bound where a kernel has no tensor for a binding (matmul without bias, softmax without targets).
  let placeholder: VulkanStorage
  /// Per-workgroup partial sums of sumOfSquares.
  let partials: VulkanStorage
  static let sumOfSquaresGroups = 256

  /// Opens the best Vulkan device: discrete > integrated > virtual GPU > CPU (lavapipe), or the
  /// software device first with `preferHardware: false`, or device `deviceIndex` of
  /// `availableDevices()`. Throws `EngineError.backendUnavailable` (with an install hint) when
  /// there is no loader, no driver or no device.
  public convenience init(preferHardware: Bool = true, deviceIndex: Int? = nil) throws {
    try self.init(preferHardware: preferHardware, deviceIndex: deviceIndex, options: VulkanOptions())
  }

  init(preferHardware: Bool, deviceIndex: Int?, options: VulkanOptions) throws {
    let instance = try VulkanInstance(validation: options.validation, printMessages: options.printValidationMessages)
    device = try VulkanDevice(instance: instance, preferHardware: preferHardware, deviceIndex: deviceIndex)
    deviceInfo = device.info
    deviceName = "\(device.info.name) (Vulkan \(device.info.apiVersion)\(device.info.isHardware ? "" : ", software"))"
    pipelines = try VulkanPipelineLibrary(device: device, shaders: Self.shaders)
    stream = try VulkanCommandStream(device: device, stagingBytes: options.stagingBytes, scratchBytes: options.scratchBytes)
    placeholder = try VulkanStorage(device: device, count: 4)
    partials = try VulkanStorage(device: device, count: Self.sumOfSquaresGroups)
  }

  /// The Vulkan devices on this machine; throws `backendUnavailable` without a loader or driver.
  public static func availableDevices() throws -> [VulkanDeviceInfo] {
    try VulkanInstance(validation: false).physicalDevices().map(\.info)
  }

  /// Every shader with the number of storage buffers it binds.
  static let shaders: [(VulkanSPIRV.Shader, bindingCount: Int)] = [
    (VulkanSPIRV.encoderForward, 4), (VulkanSPIRV.encoderBackwardWte, 3), (VulkanSPIRV.encoderBackwardWpe, 2),
    (VulkanSPIRV.layernormForward, 6), (VulkanSPIRV.layernormBackwardInput, 6), (VulkanSPIRV.layernormBackwardParams, 6),
    (VulkanSPIRV.matmul, 4), (VulkanSPIRV.columnSum, 2),
    (VulkanSPIRV.attentionSoftmax, 4), (VulkanSPIRV.attentionValues, 3),
    (VulkanSPIRV.attentionBackwardDatt, 3), (VulkanSPIRV.attentionBackwardSoftmax, 3), (VulkanSPIRV.attentionBackwardQkv, 5),
    (VulkanSPIRV.geluForward, 2), (VulkanSPIRV.geluBackward, 3),
    (VulkanSPIRV.residualForward, 3), (VulkanSPIRV.residualBackward, 3),
    (VulkanSPIRV.softmaxCrossEntropyForward, 4), (VulkanSPIRV.softmaxCrossEntropyBackward, 3),
    (VulkanSPIRV.sumOfSquares, 2), (VulkanSPIRV.adamw, 4), (VulkanSPIRV.kvCacheWrite, 3),
  ]

  /// Validation-layer errors and warnings so far (tests require zero).
  var validationMessages: (errors: Int, warnings: Int) { device.instance.messageCounts }

  // MARK: Memory

  public func makeStorage(count: Int) throws -> any Storage {
    guard count >= 0 else { throw EngineError.outOfMemory("cannot allocate \(count) floats") }
    guard count <= Int(Int32.max) else {
      // Shaders index with 32-bit uints; one storage holds at most 2^31 floats (8 GiB).
      throw EngineError.outOfMemory("\(count) floats is more than one Vulkan storage can index")
    }
    let storage = try VulkanStorage(device: device, count: count)
    stream.fill(storage.buffer, byteOffset: 0, byteCount: storage.buffer.byteCount, pattern: 0)  // zero-filled
    return storage
  }

  public func write(_ values: [Float], to tensor: Tensor) {
    precondition(values.count == tensor.count, "write of \(values.count) values into \(tensor.shape)")
    let buffer = storage(tensor).buffer
    values.withUnsafeBytes { stream.upload($0, to: buffer, at: tensor.offset * 4) }
  }

  public func read(_ tensor: Tensor) -> [Float] {
    let buffer = storage(tensor).buffer
    return [Float](unsafeUninitializedCapacity: tensor.count) { values, initialized in
      stream.download(buffer, at: tensor.offset * 4, into: UnsafeMutableRawBufferPointer(values))
      initialized = tensor.count
    }
  }

  public func fill(_ tensor: Tensor, with value: Float) {
    stream.fill(storage(tensor).buffer, byteOffset: tensor.offset * 4, byteCount: tensor.count * 4, pattern: value.bitPattern)
  }

  public func copy(_ source: Tensor, to destination: Tensor) {
    precondition(source.count == destination.count, "copy of \(source.shape) into \(destination.shape)")
    let from = storage(source), to = storage(destination)
    if from === to {
      if source.offset == destination.offset { return }
      precondition(abs(source.offset - destination.offset) >= source.count, "copy between overlapping views")
    }
    stream.copy(from: from.buffer, at: source.offset * 4, to: to.buffer, at: destination.offset * 4, byteCount: source.count * 4)
  }

  public func synchronize() { stream.submitAndWait() }

  // MARK: Helpers for the kernel files

  /// What a kernel does with a binding: read a tensor, read and write one, or read uploaded ids.
  enum Argument {
    case read(Tensor)
    case write(Tensor)
    case ids([Int32])
    /// The placeholder buffer, for a binding the kernel leaves unused.
    case unused
  }

  /// Records one dispatch. Push constants are `constants` followed by the element offset of
  /// each binding, in binding order — the layout every shader's Params block follows.
  func dispatch(_ shader: VulkanSPIRV.Shader, _ arguments: [Argument], _ constants: [UInt32], groups: Int, groupsY: Int = 1) {
    let bindings = arguments.map { argument -> VulkanBinding in
      switch argument {
      case .read(let tensor): return binding(tensor, writes: false)
      case .write(let tensor): return binding(tensor, writes: true)
      case .ids(let ids): return stream.uploadScratch(ids)
      case .unused: return binding(Tensor(storage: placeholder, shape: [placeholder.count]), writes: false)
      }
    }
    stream.dispatch(pipelines[shader], bindings, constants: constants + bindings.map(\.elementOffset), groups: (groups, groupsY))
  }

  /// Sizes as push constants (checked: each must fit the shaders' 32-bit uints).
  func constants(_ values: Int...) -> [UInt32] {
    values.map { value in
      precondition(value >= 0 && value <= Int(UInt32.max), "\(value) does not fit a 32-bit shader constant")
      return UInt32(value)
    }
  }

  /// Workgroups for a grid-stride loop over `total` items (at most the device limit).
  func groups(_ total: Int, workgroupSize: Int) -> Int {
    max(1, min((total + workgroupSize - 1) / workgroupSize, Int(min(device.maxWorkgroupCount.x, 65_535))))
  }

  /// Workgroups for kernels with one workgroup per row (rows beyond the limit loop).
  func rowGroups(_ rows: Int) -> Int { max(1, min(rows, Int(min(device.maxWorkgroupCount.x, 65_535)))) }

  func storage(_ tensor: Tensor) -> VulkanStorage {
    guard let storage = tensor.storage as? VulkanStorage, storage.buffer.device === device else {
      preconditionFailure("tensor storage \(type(of: tensor.storage)) does not belong to this Vulkan backend")
    }
    return storage
  }

  /// Binds exactly the tensor's bytes, starting from the aligned offset at or below the view
  /// (minStorageBufferOffsetAlignment); the shader adds the remaining elements. The descriptor
  /// range is also the range the hazard tracker orders, as synchronization validation sees it.
  private func binding(_ tensor: Tensor, writes: Bool) -> VulkanBinding {
    let buffer = storage(tensor).buffer
    let start = tensor.offset * 4
    let bindOffset = start / device.storageOffsetAlignment * device.storageOffsetAlignment
    let range = max(start - bindOffset + tensor.count * 4, 4)
    precondition(
      range <= device.maxStorageBufferRange,
      "tensor of \(tensor.count) floats exceeds the device's storage-buffer range")
    return VulkanBinding(
      buffer: buffer, bindOffset: bindOffset, bindRange: range,
      elementOffset: UInt32((start - bindOffset) / 4),
      access: bindOffset..<bindOffset + range, writes: writes)
  }
}
