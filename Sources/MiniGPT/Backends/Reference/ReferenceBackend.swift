// The reference backend: every kernel of the contract as plain loops over host memory, written
// for reading and as the test oracle every fast backend is compared with (llm.c's
// train_gpt2.c CPU code is the model). Sums that decide an oracle's accuracy run in Double.
// Legend: B batch, T time, C channels, NH heads, HS head size, V vocabulary, N rows, OC outputs.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class ReferenceBackend: Backend {
  public init() {}

  public var kind: BackendKind { .reference }
  public var deviceName: String { "CPU (reference loops, 1 thread)" }

  // MARK: Memory

  public func makeStorage(count: Int) throws -> any Storage {
    guard count >= 0 else { throw EngineError.outOfMemory("cannot allocate \(count) floats") }
    // Refuse sizes no host can hold instead of trapping in the allocator (2^36 floats = 256 GiB).
    guard count <= 1 << 36 else { throw EngineError.outOfMemory("\(count) floats is more than host memory") }
    return HostStorage(count: count)
  }

  public func write(_ values: [Float], to tensor: Tensor) {
    precondition(values.count == tensor.count, "write of \(values.count) values into \(tensor.shape)")
    let p = tensor.hostPointer
    for i in 0..<values.count { p[i] = values[i] }
  }

  public func read(_ tensor: Tensor) -> [Float] {
    let p = tensor.hostPointer
    return (0..<tensor.count).map { p[$0] }
  }

  public func fill(_ tensor: Tensor, with value: Float) {
    let p = tensor.hostPointer
    for i in 0..<tensor.count { p[i] = value }
  }

  public func copy(_ source: Tensor, to destination: Tensor) {
    precondition(source.count == destination.count, "copy \(source.shape) → \(destination.shape)")
    let s = source.hostPointer, d = destination.hostPointer
    // Element by element in a direction that is safe if the views overlap.
    if d < s || d >= s + source.count {
      for i in 0..<source.count { d[i] = s[i] }
    } else {
      for i in stride(from: source.count - 1, through: 0, by: -1) { d[i] = s[i] }
    }
  }

  public func synchronize() {}

  // MARK: Optimizer

  public func sumOfSquares(_ tensor: Tensor) -> Float {
    let p = tensor.hostPointer
    var sum = 0.0
    for i in 0..<tensor.count { sum += Double(p[i]) * Double(p[i]) }
    return Float(sum)
  }
}

/// Shape check shared by the host backends' kernels: a wrong count is a programmer error.
@inline(__always)
func requireCount(_ tensor: Tensor, _ expected: Int, _ name: StaticString) {
  precondition(tensor.count == expected, "\(name): expected \(expected) elements, got \(tensor.shape)")
}
