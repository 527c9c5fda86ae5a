// The Vulkan backend's own machinery, on lavapipe with validation: device choice and errors,
// that the validation layer is really listening, staging transfers in pieces, views at offsets
// the device cannot bind directly, growing token scratch, recording until a result is needed,
// barriers only between dependent commands, and backend selection (cpu | gpu | auto).
import Foundation
import TestSupport
import Testing

@testable import MiniGPT

@Suite(
  "Vulkan backend", .serialized,
  .enabled("Vulkan is not available here (install mesa-vulkan-drivers)") { VulkanTesting.isAvailable })
struct VulkanBackendTests {
  @Test func opensTheRequestedDevice() throws {
    try withValidatedVulkan { backend in
      let devices = try VulkanBackend.availableDevices()
      print("Vulkan devices: \(devices); tests run on \(backend.deviceName)")
      #expect(devices.contains(backend.deviceInfo))
      #expect(backend.kind == .vulkan)
      #expect(backend.deviceName.hasPrefix(backend.deviceInfo.name) && backend.deviceName.contains("Vulkan"))
      // preferHardware: false pins the software device when there is one (lavapipe in CI).
      if devices.contains(where: { $0.type == .cpu }) {
        #expect(backend.isSoftwareDevice && backend.deviceName.contains("software"))
      }
    }
    #expect(throws: EngineError.self) { _ = try VulkanBackend(deviceIndex: 99) }
  }

  @Test func validationLayerReportsMisuse() throws {
    var options = VulkanOptions()
    options.validation = true
    options.printValidationMessages = false
    let backend = try VulkanBackend(preferHardware: false, deviceIndex: nil, options: options)
    let t = try backend.makeTensor([8])
    backend.synchronize()
    #expect(backend.validationMessages.errors == 0)
    // vkCmdFillBuffer's offset must be a multiple of 4 (VUID-vkCmdFillBuffer-dstOffset-00025).
    backend.stream.fill(backend.storage(t).buffer, byteOffset: 2, byteCount: 4, pattern: 0)
    backend.synchronize()
    let misuse = backend.validationMessages.errors
    #expect(misuse >= 1, "invalid fill offset reported")
    // Synchronization validation: a kernel reading what a fill wrote, with no barrier between.
    backend.stream.insertsBarriers = false
    let y = try backend.makeTensor([8])
    backend.fill(t, with: 1)
    backend.geluForward(out: y, inp: t, N: 8)
    backend.synchronize()
    #expect(backend.validationMessages.errors > misuse, "missing barrier reported (SYNC-HAZARD-READ-AFTER-WRITE)")
  }

  @Test func transfersLargerThanStagingGoInPieces() throws {
    try withValidatedVulkan(stagingBytes: 256) { backend in
      var rng = SplitMix64(seed: 1)
      let values = rng.normals(1_003)
      let t = try backend.makeTensor(values, shape: [1_003])
      #expect(backend.read(t) == values)
      let submissions = backend.stream.submissions
      #expect(backend.read(t.view(start: 333, shape: [500])) == Array(values[333..<833]))
      #expect(backend.stream.submissions - submissions == 8, "500 floats through 256 bytes of staging")
    }
  }

  // Views start at float offsets that are not multiples of minStorageBufferOffsetAlignment: the
  // binding starts at the aligned offset below and the shader adds the rest.
  @Test func kernelsOnViewsAtAnyOffset() throws {
    try withValidatedVulkan { backend in
      let values = (0..<100).map { Float($0) }
      let flat = try backend.makeTensor(values, shape: [100])
      for (o, a, b) in [(1, 23, 60), (7, 3, 41), (90, 0, 5)] {
        backend.residualForward(
          out: flat.view(start: o, shape: [5]), a: flat.view(start: a, shape: [5]),
          b: flat.view(start: b, shape: [5]), N: 5)
        #expect(
          backend.read(flat.view(start: o, shape: [5])) == (0..<5).map { Float(a + b + 2 * $0) },
          "out at \(o), a at \(a), b at \(b) (alignment \(backend.device.storageOffsetAlignment) bytes)")
        backend.write(values, to: flat)
      }
    }
  }

  @Test func tokenScratchGrowsOnDemand() throws {
    try withValidatedVulkan(scratchBytes: 64) { backend in
      let reference = ReferenceBackend()
      var rng = SplitMix64(seed: 2)
      let (B, T, C, V) = (4, 50, 8, 13)
      let tokens = (0..<B * T).map { _ in Int32(rng.nextInt(below: V)) }
      let wte = rng.normals(V * C), wpe = rng.normals(T * C)
      var results: [[Float]] = []
      for be in [reference as any Backend, backend] {
        let out = try be.makeTensor([B, T, C])
        be.encoderForward(
          out: out, tokens: tokens, wte: try be.makeTensor(wte, shape: [V, C]),
          wpe: try be.makeTensor(wpe, shape: [T, C]), B: B, T: T, C: C, positionOffset: 0)
        results.append(be.read(out))
      }
      #expect(results[1] == results[0], "200 token ids through 64 bytes of scratch")
    }
  }

  // One submission per batch of work: kernels are only recorded until a result is read.
  @Test func recordsUntilAResultIsNeeded() throws {
    try withValidatedVulkan { backend in
      let x = try backend.makeTensor((0..<64).map { Float($0) / 32 - 1 }, shape: [64])
      let y = try backend.makeTensor([64]), z = try backend.makeTensor([64])
      backend.synchronize()
      let before = backend.stream.submissions
      for _ in 0..<10 {
        backend.geluForward(out: y, inp: x, N: 64)
        backend.residualForward(out: z, a: y, b: x, N: 64)
        backend.residualForward(out: x, a: z, b: y, N: 64)
      }
      #expect(backend.stream.submissions == before)
      #expect(backend.stream.recordedCommands == 30)
      _ = backend.read(x)
      #expect(backend.stream.submissions == before + 1)
    }
  }

  // Barriers: none between independent kernels (matmul backward's three products), one before
  // each dependent one, including write-after-read (the fill must wait for gelu to read x).
  @Test func barriersOnlyBetweenDependentCommands() throws {
    try withValidatedVulkan { backend in
      var rng = SplitMix64(seed: 3)
      let (N, C, OC) = (6, 5, 7)
      let inp = try backend.makeTensor(rng.normals(N * C), shape: [N, C])
      let weight = try backend.makeTensor(rng.normals(OC * C), shape: [OC, C])
      let dout = try backend.makeTensor(rng.normals(N * OC), shape: [N, OC])
      let dinp = try backend.makeTensor([N, C]), dweight = try backend.makeTensor([OC, C]), dbias = try backend.makeTensor([OC])
      backend.synchronize()
      let start = backend.stream.barriers
      backend.matmulBackward(dinp: dinp, dweight: dweight, dbias: dbias, dout: dout, inp: inp, weight: weight, N: N, C: C, OC: OC)
      #expect(backend.stream.barriers == start)
      let x = try backend.makeTensor([Float](repeating: 1, count: 4), shape: [4]), y = try backend.makeTensor([4])
      backend.synchronize()
      let next = backend.stream.barriers
      backend.geluForward(out: y, inp: x, N: 4)
      backend.fill(x, with: -3)
      #expect(backend.stream.barriers == next + 1)
      let gelu1 = Float(0.5 * (1 + tanh(sqrt(2 / Double.pi) * (1 + 0.044715))))
      #expect(abs(backend.read(y)[0] - gelu1) < 1e-6 && backend.read(x) == [-3, -3, -3, -3])
    }
  }

  @Test func backendSelection() throws {
    #expect(try makeBackend(.cpu, threads: 2).kind == .cpu)
    #expect(try makeBackend(.reference, threads: 1).kind == .reference)
    let gpu = try selectBackend(.gpu, threads: 2)
    #expect(gpu.backend.kind == .vulkan && gpu.explanation.contains(gpu.backend.deviceName))
    let auto = try selectBackend(.auto, threads: 2)
    let hasHardware = try VulkanBackend.availableDevices().contains(where: \.isHardware)
    #expect(auto.backend.kind == (hasHardware ? .vulkan : .cpu), "\(auto.explanation)")
    print(gpu.explanation, auto.explanation, separator: "\n")
    #expect(BackendChoice(rawValue: "gpu") == .gpu && BackendChoice(rawValue: "metal") == nil)
  }
}

@Suite("Vulkan backend, without a device")
struct VulkanBackendOfflineTests {
  @Test func missingLoaderIsAClearError() {
    let missing = VulkanLoader.open(["/nonexistent/libvulkan.so.1"])
    guard case .failure(.backendUnavailable(let why, let hint)) = missing else {
      Issue.record("expected backendUnavailable, got \(missing)")
      return
    }
    #expect(why.contains("/nonexistent/libvulkan.so.1"))
    #expect(hint == "install mesa-vulkan-drivers or a GPU driver")
    // A library that exists but is not a Vulkan loader.
    guard case .failure(.backendUnavailable(let notLoader, _)) = VulkanLoader.open(["libm.so.6"]) else {
      Issue.record("libm accepted as a Vulkan loader")
      return
    }
    #expect(notLoader.contains("vkGetInstanceProcAddr"))
  }

  // Without this, "zero validation messages" could mean the layer was never loaded.

  @Test func hazardTrackerRules() {
    let objects = [NSObject(), NSObject()]  // alive for the whole test: distinct identifiers
    let a = ObjectIdentifier(objects[0]), b = ObjectIdentifier(objects[1])
    var hazards = VulkanHazards()
    hazards.add([.init(buffer: a, range: 0..<16, writes: true), .init(buffer: b, range: 0..<16, writes: false)])
    #expect(hazards.conflict([.init(buffer: a, range: 12..<20, writes: false)]), "read after write")
    #expect(hazards.conflict([.init(buffer: b, range: 8..<9, writes: true)]), "write after read")
    #expect(hazards.conflict([.init(buffer: a, range: 0..<4, writes: true)]), "write after write")
    #expect(!hazards.conflict([.init(buffer: b, range: 0..<16, writes: false)]), "read after read")
    #expect(!hazards.conflict([.init(buffer: a, range: 16..<32, writes: true)]), "disjoint ranges")
    hazards.clear()
    #expect(!hazards.conflict([.init(buffer: a, range: 0..<16, writes: true)]), "after a barrier")
    withExtendedLifetime(objects) {}
  }

  @Test(.enabled("only where Vulkan is missing") { !VulkanTesting.isAvailable })
  func choosingTheGPUWithoutVulkanIsAClearError() throws {
    #expect(throws: EngineError.self) { _ = try makeBackend(.gpu, threads: 1) }
    let auto = try selectBackend(.auto, threads: 1)
    #expect(auto.backend.kind == .cpu, "\(auto.explanation)")
  }
}

@Test func vulkanIsPresentWhereRequired() {
  if VulkanTesting.isRequired {
    #expect(VulkanTesting.isAvailable, "MINIGPT_REQUIRE_VULKAN=1 but: \(VulkanTesting.unavailableReason ?? "")")
  } else if let reason = VulkanTesting.unavailableReason {
    print("GPU tests skipped: Vulkan is not available (\(reason))")
  }
}
