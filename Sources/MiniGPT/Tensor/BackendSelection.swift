// Which backend runs a model: `--backend cpu|gpu|auto`, a lesson's front matter, a directive's
// option. gpu = the best Vulkan device (discrete > integrated > virtual > CPU implementation);
// auto = a hardware GPU when there is one, otherwise the CPU backend — never lavapipe on its
// own, which is correct but slower than the CPU backend. Each choice says what it picked and why.

public enum BackendChoice: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
  case cpu, gpu, auto
  /// The naive reference loops (tests and lessons that show the oracle).
  case reference

  public var description: String { rawValue }
}

/// A backend together with one line saying which device it is and why it was chosen.
public struct BackendSelection {
  public let backend: any Backend
  public let explanation: String
}

/// The backend for `choice`. `threads` sizes the CPU backend. Throws
/// `EngineError.backendUnavailable` (with an install hint) for `gpu` without a Vulkan device;
/// `auto` never throws for that reason.
public func selectBackend(_ choice: BackendChoice, threads: Int) throws -> BackendSelection {
  switch choice {
  case .cpu:
    let cpu = CPUBackend(threads: threads)
    return BackendSelection(backend: cpu, explanation: "cpu: \(cpu.deviceName)")
  case .reference:
    let reference = ReferenceBackend()
    return BackendSelection(backend: reference, explanation: "reference: \(reference.deviceName)")
  case .gpu:
    let devices = try VulkanBackend.availableDevices()
    let gpu = try VulkanBackend(preferHardware: true)
    var line = "gpu: \(gpu.deviceName), the best of \(devices.count) Vulkan device\(devices.count == 1 ? "" : "s")"
    if gpu.isSoftwareDevice { line += " (a software driver: correct, but slower than --backend cpu)" }
    return BackendSelection(backend: gpu, explanation: line)
  case .auto:
    let cpu = CPUBackend(threads: threads)
    let devices: [VulkanDeviceInfo]
    do {
      devices = try VulkanBackend.availableDevices()
    } catch {
      return BackendSelection(backend: cpu, explanation: "auto: \(cpu.deviceName) (no GPU: \(error))")
    }
    guard devices.contains(where: \.isHardware) else {
      let found = devices.isEmpty ? "no Vulkan device" : "only software Vulkan: " + devices.map(\.name).joined(separator: ", ")
      return BackendSelection(backend: cpu, explanation: "auto: \(cpu.deviceName) (no hardware GPU; \(found))")
    }
    do {
      let gpu = try VulkanBackend(preferHardware: true)
      return BackendSelection(backend: gpu, explanation: "auto: \(gpu.deviceName) (hardware GPU)")
    } catch {
      return BackendSelection(backend: cpu, explanation: "auto: \(cpu.deviceName) (the GPU failed to start: \(error))")
    }
  }
}

/// `selectBackend(choice, threads:).backend`.
public func makeBackend(_ choice: BackendChoice, threads: Int) throws -> any Backend {
  try selectBackend(choice, threads: threads).backend
}

/// The number of online CPU cores.
public func defaultThreadCount() -> Int {
  #if canImport(Glibc)
  return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  #else
  return max(1, ProcessInfoCores.count)
  #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
enum ProcessInfoCores { static var count: Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) } }
#endif
