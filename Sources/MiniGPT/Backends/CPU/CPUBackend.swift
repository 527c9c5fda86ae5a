// The fast CPU backend: matmuls and attention products through BLAS (OpenBLAS on Linux,
// Accelerate on macOS), element-wise and row kernels as SIMD16<Float> loops split over cores
// with DispatchQueue.concurrentPerform. Same kernels as the reference backend, which is its
// test oracle (Tests/MiniGPTTests/BackendConformanceTests.swift). Legend: see Backend.swift.

import Dispatch

#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// Kernels run synchronously on the calling thread plus up to `threads` workers. OpenBLAS's
/// thread count is process-wide, so every kernel sets it before its BLAS calls: several
/// CPUBackends (say 1 and 2 threads in one test run) stay correct side by side.
public final class CPUBackend: Backend {
  /// Cores used by BLAS and by the kernels' parallel loops.
  public let threads: Int

  public init(threads: Int) {
    self.threads = max(1, min(threads, 256))
  }

  public var kind: BackendKind { .cpu }
  public var deviceName: String {
    #if canImport(Accelerate)
    "CPU (Accelerate, \(threads) thread\(threads == 1 ? "" : "s"))"
    #else
    "CPU (OpenBLAS, \(threads) thread\(threads == 1 ? "" : "s"))"
    #endif
  }

  // MARK: Memory

  public func makeStorage(count: Int) throws -> any Storage {
    guard count >= 0 else { throw EngineError.outOfMemory("cannot allocate \(count) floats") }
    guard count <= 1 << 36 else { throw EngineError.outOfMemory("\(count) floats is more than host memory") }
    return HostStorage(count: count)
  }

  public func write(_ values: [Float], to tensor: Tensor) {
    precondition(values.count == tensor.count, "write of \(values.count) values into \(tensor.shape)")
    guard !values.isEmpty else { return }
    values.withUnsafeBufferPointer { tensor.hostPointer.update(from: $0.baseAddress!, count: values.count) }
  }

  public func read(_ tensor: Tensor) -> [Float] {
    Array(UnsafeBufferPointer(start: tensor.hostPointer, count: tensor.count))
  }

  public func fill(_ tensor: Tensor, with value: Float) {
    let p = tensor.hostPointer
    parallelFor(tensor.count, grain: 1 << 16) { range in
      (p + range.lowerBound).update(repeating: value, count: range.count)
    }
  }

  public func copy(_ source: Tensor, to destination: Tensor) {
    precondition(source.count == destination.count, "copy \(source.shape) → \(destination.shape)")
    // update(from:) is memmove: correct for overlapping views too.
    destination.hostPointer.update(from: source.hostPointer, count: source.count)
  }

  public func synchronize() {}

  // MARK: Parallel loops

  /// Runs `body` over 0..<count split into contiguous ranges. With one thread, or less than
  /// about two `grain`s of work, it runs inline: a dispatch costs microseconds. Otherwise it makes
  /// up to 4 chunks per thread so a core slowed by another process does not hold up the rest
  /// (NOTES.md: 2–16 chunks beat one task per row by 1.3–1.7×).
  func parallelFor(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    let chunks = min(threads * 4, count / max(grain, 1))
    if threads == 1 || chunks < 2 {
      if count > 0 { body(0..<count) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        shared.value((chunk * count / chunks)..<((chunk + 1) * count / chunks))
      }
    }
  }

  /// Runs `body` in parallel over independent BLAS problems (attention heads, row blocks of a
  /// matrix-vector product), with BLAS itself single-threaded meanwhile: a 2-thread BLAS inside
  /// 2 worker threads would oversubscribe the cores.
  func parallelBLASFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = min(threads * 4, count / max(grain, 1))
    if threads == 1 || chunks < 2 {
      setBLASThreads(threads)
      if count > 0 { body(0..<count) }
      return
    }
    setBLASThreads(1)
    defer { setBLASThreads(threads) }
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        shared.value((chunk * count / chunks)..<((chunk + 1) * count / chunks))
      }
    }
  }

  // MARK: Optimizer

  /// Σ x², summed per 4096-element block in SIMD Float and across blocks in Double, so a
  /// 124M-element gradient keeps ~7 significant digits.
  public func sumOfSquares(_ tensor: Tensor) -> Float {
    let p = tensor.hostPointer, n = tensor.count
    let block = 4096, blocks = (n + block - 1) / block
    let partials = UnsafeMutablePointer<Double>.allocate(capacity: max(blocks, 1))
    defer { partials.deallocate() }
    parallelFor(blocks, grain: 64) { range in
      for b in range {
        let start = b * block, end = min(start + block, n)
        var acc = SIMD16<Float>()
        var i = start
        while i + 16 <= end {
          let x = load(p + i)
          acc += x * x
          i += 16
        }
        var tail: Float = 0
        while i < end {
          tail += p[i] * p[i]
          i += 1
        }
        partials[b] = Double(acc.sum()) + Double(tail)
      }
    }
    var sum = 0.0
    for b in 0..<blocks { sum += partials[b] }
    return Float(sum)
  }
}

/// Lets a non-Sendable value (a closure over raw pointers) cross into concurrentPerform's
/// @Sendable closure. Safe here because every chunk writes a disjoint range.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

// MARK: BLAS (row-major, Int arguments)

@inline(__always)
func setBLASThreads(_ n: Int) {
  #if !canImport(Accelerate)
  openblas_set_num_threads(Int32(n))
  #endif
}

/// C (M,N) = alpha·op(A)·op(B) + beta·C, row-major, op = transpose when the flag is set.
@inline(__always)
func sgemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float, A: UnsafePointer<Float>, lda: Int,
  B: UnsafePointer<Float>, ldb: Int, beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
) {
  if M == 0 || N == 0 { return }
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(M), Int32(N), Int32(K), alpha, A, Int32(lda), B, Int32(ldb), beta, C, Int32(ldc))
}

/// y (M or N) = alpha·op(A)·x + beta·y, A (M,N) row-major.
@inline(__always)
func sgemv(
  trans: Bool, M: Int, N: Int, alpha: Float, A: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
  beta: Float, y: UnsafeMutablePointer<Float>
) {
  if M == 0 || N == 0 { return }
  cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(M), Int32(N), alpha, A, Int32(lda), x, 1, beta, y, 1)
}
