// Choosing a backend by name (--backend, lesson front matter, a directive option).
// gpu = the best Vulkan device; auto = a hardware GPU when there is one, otherwise the CPU
// (auto never picks a software Vulkan driver such as lavapipe by itself).

public enum BackendChoice: String, CaseIterable, Codable, Sendable {
  case cpu, gpu, auto, reference
}

/// The number of online CPU cores.
public func defaultThreadCount() -> Int {
  #if canImport(Glibc)
  return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  #else
  return max(1, ProcessInfoCores.count)
  #endif
}

public func makeBackend(_ choice: BackendChoice, threads: Int) throws -> any Backend {
  switch choice {
  case .cpu: return CPUBackend(threads: threads)
  case .reference: return ReferenceBackend()
  case .gpu:
    throw EngineError.backendUnavailable("the Vulkan backend is not built yet", hint: "use --backend cpu")
  case .auto: return CPUBackend(threads: threads)
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
enum ProcessInfoCores { static var count: Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) } }
#endif
