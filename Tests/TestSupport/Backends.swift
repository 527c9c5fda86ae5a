// The backends the conformance suite checks against the reference backend. Each backend adds
// one factory here (a GPU backend returns nil when no device is present, so the suite skips it).
import MiniGPT
import Testing

/// A named way to make a backend, usable as a Swift Testing argument.
public struct BackendFactory: Sendable, CustomTestStringConvertible {
  public let name: String
  public let make: @Sendable () throws -> (any Backend)?

  public init(_ name: String, make: @escaping @Sendable () throws -> (any Backend)?) {
    self.name = name
    self.make = make
  }

  public var testDescription: String { name }
}

/// Every backend that must agree with `ReferenceBackend`, kernel by kernel.
public func conformanceBackends() -> [BackendFactory] {
  [
    BackendFactory("CPU, 1 thread") { CPUBackend(threads: 1) },
    BackendFactory("CPU, 2 threads") { CPUBackend(threads: 2) },
  ]
}
