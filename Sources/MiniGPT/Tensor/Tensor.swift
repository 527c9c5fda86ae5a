// Tensor: a view (offset + shape) into a backend-owned, contiguous Float32 storage.
// Like llm.c, parameters and activations live in a few big storages and kernels take views;
// a backend reads its own storage type (host memory for CPU/reference, a VkBuffer for Vulkan).

/// Memory owned by one backend. Only that backend looks inside.
public protocol Storage: AnyObject {
  /// Number of Float32 elements.
  var count: Int { get }
}

/// A contiguous row-major view into a `Storage`.
public struct Tensor {
  public let storage: any Storage
  public let offset: Int
  public let shape: [Int]

  public init(storage: any Storage, offset: Int = 0, shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    let count = shape.reduce(1, *)
    precondition(offset >= 0 && offset + count <= storage.count, "view \(offset)+\(count) outside storage of \(storage.count)")
    self.storage = storage
    self.offset = offset
    self.shape = shape
  }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
  public var rank: Int { shape.count }

  /// A contiguous sub-view of `count` elements starting `start` elements in, with a new shape.
  public func view(start: Int = 0, shape newShape: [Int]) -> Tensor {
    let n = newShape.reduce(1, *)
    precondition(start >= 0 && start + n <= count, "sub-view \(start)+\(n) outside tensor of \(count)")
    return Tensor(storage: storage, offset: offset + start, shape: newShape)
  }

  /// Same elements, another shape.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
    return Tensor(storage: storage, offset: offset, shape: newShape)
  }

  /// Row `i` along the first dimension.
  public func row(_ i: Int) -> Tensor {
    precondition(rank >= 1 && i >= 0 && i < shape[0], "row \(i) outside \(shape)")
    let rest = Array(shape.dropFirst())
    let n = rest.reduce(1, *)
    return Tensor(storage: storage, offset: offset + i * n, shape: rest)
  }
}

/// Host memory: the storage of the reference and CPU backends. 64-byte aligned for SIMD.
public final class HostStorage: Storage {
  public let count: Int
  public let base: UnsafeMutablePointer<Float>

  public init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
    raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
    base = raw.assumingMemoryBound(to: Float.self)
  }

  deinit { UnsafeMutableRawPointer(base).deallocate() }
}

extension Tensor {
  /// Pointer to the first element, for backends whose storage is host memory.
  @inline(__always)
  public var hostPointer: UnsafeMutablePointer<Float> {
    guard let host = storage as? HostStorage else {
      preconditionFailure("tensor storage is \(type(of: storage)), not host memory")
    }
    return host.base + offset
  }
}
