// Shared by the Vulkan test suites: whether Vulkan can run here, a validated backend on the
// software device (lavapipe in CI, even on a machine that also has a GPU), and the check that
// the Khronos validation layer reported nothing.
import Foundation
import Testing

@testable import MiniGPT

enum VulkanTesting {
  /// Nil when a Vulkan device and the validation layer the tests run under are present;
  /// otherwise why not (printed when the GPU tests are skipped).
  static let unavailableReason: String? = {
    do {
      guard try !VulkanInstance(validation: true, printMessages: false).physicalDevices().isEmpty else {
        return "no Vulkan device"
      }
      return nil
    } catch {
      return "\(error)"
    }
  }()
  static var isAvailable: Bool { unavailableReason == nil }

  /// CI sets MINIGPT_REQUIRE_VULKAN=1 so that a missing driver fails instead of skipping.
  static var isRequired: Bool { ProcessInfo.processInfo.environment["MINIGPT_REQUIRE_VULKAN"] == "1" }

  /// A backend with the validation layer on and messages counted (and printed to stderr).
  static func makeBackend(stagingBytes: Int = 1 << 20, scratchBytes: Int = 4096) throws -> VulkanBackend {
    var options = VulkanOptions()
    options.validation = true
    options.stagingBytes = stagingBytes
    options.scratchBytes = scratchBytes
    return try VulkanBackend(preferHardware: false, deviceIndex: nil, options: options)
  }

  /// Fails the current test if the validation layer reported any error or warning.
  static func expectNoValidationMessages(_ backend: VulkanBackend, sourceLocation: SourceLocation = #_sourceLocation) {
    let messages = backend.validationMessages
    #expect(
      messages.errors == 0 && messages.warnings == 0,
      "Vulkan validation: \(messages.errors) errors, \(messages.warnings) warnings (printed above)",
      sourceLocation: sourceLocation)
  }
}

/// Runs `body` with a fresh validated backend, then requires zero validation messages.
func withValidatedVulkan(
  stagingBytes: Int = 1 << 20, scratchBytes: Int = 4096, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: (VulkanBackend) throws -> Void
) throws {
  let backend = try VulkanTesting.makeBackend(stagingBytes: stagingBytes, scratchBytes: scratchBytes)
  try body(backend)
  backend.synchronize()
  VulkanTesting.expectNoValidationMessages(backend, sourceLocation: sourceLocation)
}
