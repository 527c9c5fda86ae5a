// The SPIR-V embedded in VulkanSPIRV.generated.swift must come from the GLSL sources as they
// are now: each entry records the SHA-256 of its .comp file, compared here (no glslc needed).
// When this fails, run scripts/compile_shaders.sh. SHA-256 is FIPS 180-4, checked below against
// the standard's own examples.
import Foundation
import TestSupport
import Testing

@testable import MiniGPT

@Suite("Vulkan shader sources")
struct VulkanShaderSourceTests {
  static let shaderDirectory = TestPaths.packageRoot.appendingPathComponent("Sources/MiniGPT/Backends/Vulkan/Shaders")

  @Test func embeddedSPIRVMatchesEveryShaderSource() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.shaderDirectory.path)
      .filter { $0.hasSuffix(".comp") }.sorted()
    let sources = Set(files.map { String($0.dropLast(".comp".count)) })
    let embedded = Set(VulkanSPIRV.all.map(\.name))
    #expect(
      sources == embedded,
      "not compiled: \(sources.subtracting(embedded).sorted()); stale: \(embedded.subtracting(sources).sorted()) — run scripts/compile_shaders.sh"
    )
    for shader in VulkanSPIRV.all where sources.contains(shader.name) {
      let text = try Data(contentsOf: Self.shaderDirectory.appendingPathComponent(shader.name + ".comp"))
      #expect(
        sha256Hex([UInt8](text)) == shader.sourceSHA256,
        "Shaders/\(shader.name).comp changed since it was compiled — run scripts/compile_shaders.sh")
      #expect(shader.words.first == 0x0723_0203, "\(shader.name): not SPIR-V (magic number)")
    }
  }

  @Test func everyShaderHasAPipeline() {
    let used = Set(VulkanBackend.shaders.map(\.0.name))
    #expect(used == Set(VulkanSPIRV.all.map(\.name)))
  }

  // FIPS 180-4 / NIST example values; 1000 × "a" (several blocks) checked with Python's hashlib.
  @Test func sha256MatchesTheStandardsExamples() {
    #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      sha256Hex([UInt8](repeating: 0x61, count: 1_000))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }
}

/// SHA-256 as lowercase hex (the engine's implementation, IO/SHA256.swift).
func sha256Hex(_ message: [UInt8]) -> String { SHA256.hex(message) }
