import TestSupport
import Testing

// Every Vulkan kernel against ReferenceBackend: the shared conformance suite
// (BackendConformanceTests.swift — its shapes, seeds and stated tolerances) run on a Vulkan
// backend with the Khronos validation layer on, and no validation error or warning allowed.
// In CI this is Mesa's lavapipe; the shapes stay small because lavapipe runs shaders on the CPU.
@testable import MiniGPT

@Suite(
  "Vulkan conformance with the reference backend (validated)", .serialized,
  .enabled("Vulkan is not available here (install mesa-vulkan-drivers)") { VulkanTesting.isAvailable })
struct VulkanConformanceTests {
  let shared = BackendConformanceTests()

  /// Runs one shared conformance test on a fresh validated Vulkan backend.
  private func check(_ body: (BackendFactory) throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try withValidatedVulkan(sourceLocation: sourceLocation) { backend in
      nonisolated(unsafe) let backend = backend
      try body(BackendFactory("Vulkan \(backend.deviceName)") { backend })
    }
  }

  @Test func memoryOperations() throws { try check(shared.memoryOperations) }
  @Test func encoder() throws { try check(shared.encoder) }
  @Test func layerNorm() throws { try check(shared.layerNorm) }
  @Test func matmulWithBias() throws { try check { try shared.matmul($0, withBias: true) } }
  @Test func matmulWithoutBias() throws { try check { try shared.matmul($0, withBias: false) } }
  @Test func attention() throws { try check(shared.attention) }
  @Test func gelu() throws { try check(shared.gelu) }
  @Test func residual() throws { try check(shared.residual) }
  @Test func softmaxCrossEntropy() throws { try check(shared.softmaxCrossEntropy) }
  @Test func adamW() throws { try check(shared.adamW) }
  @Test func sumOfSquares() throws { try check(shared.sumOfSquares) }
  @Test func kvCacheDecoding() throws { try check(shared.kvCacheDecoding) }
}
