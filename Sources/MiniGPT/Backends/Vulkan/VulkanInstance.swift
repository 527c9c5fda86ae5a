// The Vulkan instance: the loader opened at run time (CVulkan shim, dlopen), the instance with
// optional Khronos validation and a counting debug messenger, and the physical devices it lists.
// Reference: Vulkan 1.3 spec §4 (Initialization, Devices), VK_EXT_debug_utils.
import CVulkan
import Foundation

/// A Vulkan physical device's type, ordered from least to most preferred for `--backend gpu`.
public enum VulkanDeviceType: Int, Comparable, Sendable, CustomStringConvertible {
  case other, cpu, virtualGPU, integratedGPU, discreteGPU

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch self {
    case .other: return "other"
    case .cpu: return "software (CPU)"
    case .virtualGPU: return "virtual GPU"
    case .integratedGPU: return "integrated GPU"
    case .discreteGPU: return "discrete GPU"
    }
  }
}

/// One Vulkan device as the loader reports it.
public struct VulkanDeviceInfo: Sendable, Equatable, CustomStringConvertible {
  /// Position in vkEnumeratePhysicalDevices order (what `deviceIndex:` selects).
  public let index: Int
  public let name: String
  public let type: VulkanDeviceType
  /// "major.minor.patch" of the device's Vulkan API.
  public let apiVersion: String
  /// False for CPU implementations such as Mesa's lavapipe.
  public var isHardware: Bool { type != .cpu && type != .other }

  public var description: String { "\(name) (\(type), Vulkan \(apiVersion))" }
}

/// The loader's global entry points, opened once per process.
enum VulkanLoader {
  static let hint = "install mesa-vulkan-drivers or a GPU driver"

  static let functions: Result<CVkGlobalFunctions, EngineError> = open(defaultCandidates())

  /// Where to look for the loader: MINIGPT_VULKAN_LOADER, the system's names, then beside the binary.
  static func defaultCandidates() -> [String] {
    var candidates: [String] = []
    if let path = ProcessInfo.processInfo.environment["MINIGPT_VULKAN_LOADER"], !path.isEmpty {
      candidates.append(path)
    }
    #if os(macOS)
    candidates += [
      "libvulkan.1.dylib", "libvulkan.dylib", "libMoltenVK.dylib",
      "/usr/local/lib/libvulkan.1.dylib", "/opt/homebrew/lib/libvulkan.1.dylib",
    ]
    let fileName = "libvulkan.1.dylib"
    #else
    candidates += ["libvulkan.so.1", "libvulkan.so"]
    let fileName = "libvulkan.so.1"
    #endif
    // A portable build (scripts/package_portable.sh) carries a loader in vulkan/ beside the
    // binary, used only when the machine has none of its own.
    if let directory = Bundle.main.executableURL?.deletingLastPathComponent() {
      candidates.append(directory.appendingPathComponent("vulkan/\(fileName)").path)
    }
    return candidates
  }

  /// Opens the first candidate library that is a Vulkan loader.
  static func open(_ candidates: [String]) -> Result<CVkGlobalFunctions, EngineError> {
    var table = CVkGlobalFunctions()
    var message = [CChar](repeating: 0, count: 512)
    let pointers = candidates.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    let status = pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { list in
      cvk_open_loader(list.baseAddress, Int32(list.count), &table, &message, message.count)
    }
    guard status == 0 else {
      let why = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      return .failure(.backendUnavailable("no Vulkan loader found (\(why))", hint: hint))
    }
    return .success(table)
  }
}

/// Owns a VkInstance (and its debug messenger). Everything else keeps a strong reference to it.
final class VulkanInstance {
  let global: CVkGlobalFunctions
  let functions: CVkInstanceFunctions
  let handle: VkInstance
  /// Validation-layer message counts (errors, warnings); nil when validation is off.
  private let counts: UnsafeMutablePointer<CVkMessageCounts>?
  private var messenger: VkDebugUtilsMessengerEXT?

  /// - Parameter validation: enable VK_LAYER_KHRONOS_validation and count its messages.
  init(validation: Bool, printMessages: Bool = true) throws {
    let global = try VulkanLoader.functions.get()
    self.global = global
    var layers: [String] = []
    var extensions: [String] = []
    let available = Self.instanceExtensions(global, layer: nil)
    if validation {
      let validationLayer = "VK_LAYER_KHRONOS_validation"
      guard Self.instanceLayers(global).contains(validationLayer) else {
        throw EngineError.backendUnavailable(
          "Vulkan validation was requested but \(validationLayer) is not installed",
          hint: "install vulkan-validationlayers")
      }
      layers.append(validationLayer)
      let debugUtils = "VK_EXT_debug_utils"
      guard
        available.contains(debugUtils)
          || Self.instanceExtensions(global, layer: validationLayer).contains(debugUtils)
      else {
        throw EngineError.backendUnavailable("Vulkan validation needs \(debugUtils)", hint: "install vulkan-validationlayers")
      }
      extensions.append(debugUtils)
      // Synchronization validation checks the barriers the command stream derives from its
      // hazard tracking (missing ones are reported as SYNC-HAZARD-* errors).
      if Self.instanceExtensions(global, layer: validationLayer).contains("VK_EXT_validation_features") {
        extensions.append("VK_EXT_validation_features")
      }
    }
    // MoltenVK (macOS) lists its devices only to instances that accept portability drivers.
    var flags: VkInstanceCreateFlags = 0
    if available.contains("VK_KHR_portability_enumeration") {
      extensions.append("VK_KHR_portability_enumeration")
      flags |= 0x0000_0001  // VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR
    }

    var instance: VkInstance?
    let enables = [VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT]
    let chainsFeatures = extensions.contains("VK_EXT_validation_features")
    let result = withCStringArray(layers) { layerNames in
      withCStringArray(extensions) { extensionNames in
        "minigpt-lessons".withCString { name in
          enables.withUnsafeBufferPointer { enablePointer in
            var app = VkApplicationInfo(
              sType: VK_STRUCTURE_TYPE_APPLICATION_INFO, pNext: nil, pApplicationName: name,
              applicationVersion: 1, pEngineName: name, engineVersion: 1,
              apiVersion: cvk_make_api_version(0, 1, 0, 0))
            var features = VkValidationFeaturesEXT(
              sType: VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT, pNext: nil,
              enabledValidationFeatureCount: UInt32(enables.count), pEnabledValidationFeatures: enablePointer.baseAddress,
              disabledValidationFeatureCount: 0, pDisabledValidationFeatures: nil)
            return withUnsafePointer(to: &app) { appPointer in
              withUnsafePointer(to: &features) { featuresPointer in
                var info = VkInstanceCreateInfo(
                  sType: VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, pNext: chainsFeatures ? UnsafeRawPointer(featuresPointer) : nil,
                  flags: flags, pApplicationInfo: appPointer,
                  enabledLayerCount: UInt32(layers.count), ppEnabledLayerNames: layerNames,
                  enabledExtensionCount: UInt32(extensions.count), ppEnabledExtensionNames: extensionNames)
                return global.vkCreateInstance!(&info, nil, &instance)
              }
            }
          }
        }
      }
    }
    guard result == VK_SUCCESS, let instance else {
      let why =
        result == VK_ERROR_INCOMPATIBLE_DRIVER
        ? "no Vulkan driver (ICD) is installed" : "vkCreateInstance failed (VkResult \(result.rawValue))"
      throw EngineError.backendUnavailable(why, hint: VulkanLoader.hint)
    }
    handle = instance
    var functions = CVkInstanceFunctions()
    let missing = withUnsafePointer(to: global) { cvk_load_instance_functions($0, instance, &functions) }
    self.functions = functions
    if missing != 0 {
      functions.vkDestroyInstance?(instance, nil)
      throw EngineError.backendUnavailable("the Vulkan loader lacks \(missing) core functions", hint: VulkanLoader.hint)
    }
    if validation {
      let counts = UnsafeMutablePointer<CVkMessageCounts>.allocate(capacity: 1)
      counts.initialize(to: CVkMessageCounts(errors: 0, warnings: 0, printMessages: printMessages ? 1 : 0))
      self.counts = counts
      var messenger: VkDebugUtilsMessengerEXT?
      _ = withUnsafePointer(to: global) { cvk_create_debug_messenger($0, instance, counts, &messenger) }
      self.messenger = messenger
    } else {
      counts = nil
    }
  }

  deinit {
    if let messenger { withUnsafePointer(to: global) { cvk_destroy_debug_messenger($0, handle, messenger) } }
    functions.vkDestroyInstance?(handle, nil)
    counts?.deallocate()
  }

  /// Validation errors and warnings reported so far (0, 0 without validation).
  var messageCounts: (errors: Int, warnings: Int) {
    guard let counts else { return (0, 0) }
    return (Int(counts.pointee.errors), Int(counts.pointee.warnings))
  }
  var isValidating: Bool { counts != nil }

  /// The physical devices with their descriptions, in the loader's order.
  func physicalDevices() -> [(handle: VkPhysicalDevice, info: VulkanDeviceInfo)] {
    var count: UInt32 = 0
    guard functions.vkEnumeratePhysicalDevices!(handle, &count, nil) == VK_SUCCESS, count > 0 else { return [] }
    var handles = [VkPhysicalDevice?](repeating: nil, count: Int(count))
    guard functions.vkEnumeratePhysicalDevices!(handle, &count, &handles) == VK_SUCCESS else { return [] }
    return handles.prefix(Int(count)).enumerated().compactMap { index, device in
      guard let device else { return nil }
      var properties = VkPhysicalDeviceProperties()
      functions.vkGetPhysicalDeviceProperties!(device, &properties)
      let type: VulkanDeviceType
      switch properties.deviceType {
      case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: type = .discreteGPU
      case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: type = .integratedGPU
      case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: type = .virtualGPU
      case VK_PHYSICAL_DEVICE_TYPE_CPU: type = .cpu
      default: type = .other
      }
      let v = properties.apiVersion
      let version = "\(cvk_api_version_major(v)).\(cvk_api_version_minor(v)).\(cvk_api_version_patch(v))"
      let info = VulkanDeviceInfo(
        index: index, name: fixedString(properties.deviceName), type: type, apiVersion: version)
      return (device, info)
    }
  }

  private static func instanceLayers(_ global: CVkGlobalFunctions) -> [String] {
    var count: UInt32 = 0
    guard global.vkEnumerateInstanceLayerProperties!(&count, nil) == VK_SUCCESS else { return [] }
    var layers = [VkLayerProperties](repeating: VkLayerProperties(), count: Int(count))
    guard global.vkEnumerateInstanceLayerProperties!(&count, &layers) == VK_SUCCESS else { return [] }
    return layers.prefix(Int(count)).map { fixedString($0.layerName) }
  }

  private static func instanceExtensions(_ global: CVkGlobalFunctions, layer: String?) -> [String] {
    func list(_ layerName: UnsafePointer<CChar>?) -> [String] {
      var count: UInt32 = 0
      guard global.vkEnumerateInstanceExtensionProperties!(layerName, &count, nil) == VK_SUCCESS else { return [] }
      var extensions = [VkExtensionProperties](repeating: VkExtensionProperties(), count: Int(count))
      guard global.vkEnumerateInstanceExtensionProperties!(layerName, &count, &extensions) == VK_SUCCESS else { return [] }
      return extensions.prefix(Int(count)).map { fixedString($0.extensionName) }
    }
    guard let layer else { return list(nil) }
    return layer.withCString { list($0) }
  }
}

/// A C fixed-size char array (imported as a tuple) as a String.
func fixedString<Tuple>(_ tuple: Tuple) -> String {
  withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
}

/// Calls `body` with a C array of C strings (`const char *const *`) that lives for the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
  let owned = strings.map { strdup($0) }
  defer { owned.forEach { free($0) } }
  let pointers: [UnsafePointer<CChar>?] = owned.map { UnsafePointer($0) }
  return pointers.withUnsafeBufferPointer { body(strings.isEmpty ? nil : $0.baseAddress) }
}
