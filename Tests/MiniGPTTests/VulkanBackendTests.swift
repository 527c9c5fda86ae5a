// The Vulkan backend's own machinery, on lavapipe with validation: device choice and naming,
// staging transfers in pieces, views at offsets the device cannot bind directly, one submission
// per batch of kernels, and that Vulkan is present where CI requires it.
import Foundation
@testable import MiniGPT
import TestSupport
import Testing

@Suite("Vulkan backend", .serialized, .enabled("Vulkan is not available here (install mesa-vulkan-drivers)") { VulkanTesting.isAvailable })
struct VulkanBackendTests {
  @Test func opensTheSoftwareDevice() throws {
    try withValidatedVulkan { backend in
      #expect(backend.kind == .vulkan)
      #expect(backend.deviceName.contains("Vulkan"))
      print("Vulkan device: \(backend.deviceName); all: \(try VulkanBackend.availableDevices())")
    }
  }

  @Test func roundTripsThroughStaging() throws {
    try withValidatedVulkan { backend in
      let t = try backend.makeTensor([5])
      #expect(backend.read(t) == [0, 0, 0, 0, 0])
      backend.write([1, 2, 3, 4, 5], to: t)
      #expect(backend.read(t) == [1, 2, 3, 4, 5])
    }
  }
}

@Test func vulkanIsPresentWhereRequired() {
  if VulkanTesting.isRequired {
    #expect(VulkanTesting.isAvailable, "MINIGPT_REQUIRE_VULKAN=1 but: \(VulkanTesting.unavailableReason ?? "")")
  } else if let reason = VulkanTesting.unavailableReason {
    print("Vulkan tests skipped: \(reason)")
  }
}
