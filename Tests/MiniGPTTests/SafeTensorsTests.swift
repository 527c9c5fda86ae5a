// SafeTensors reader and writer: exact bytes of a hand-laid-out file, round trips, F16/BF16
// conversion derived by hand (and exhaustively against Swift's Float16 where it exists), a file
// written by Python's safetensors (Tests/Fixtures/make_reference.py), and atomic replacement.
// Reference: https://huggingface.co/docs/safetensors, IEEE 754-2008 binary16, bfloat16.

import Foundation
import MiniGPT
import TestSupport
import Testing

// MARK: Helpers shared by the IO test files

/// A fresh scratch directory; the caller removes it.
func makeScratchDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("minigpt-io-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Lays out a SafeTensors file by hand: u64 LE length (the real one unless `declaredLength`), header, data.
func safetensorsBytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
  let json = Array(header.utf8)
  let length = declaredLength ?? UInt64(json.count)
  return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + data
}

/// Runs `body` and expects `EngineError.badFile` for `path` whose problem contains `fragment`.
func expectBadFile(
  path: String, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected badFile(\(fragment)), but it succeeded", sourceLocation: sourceLocation)
  } catch EngineError.badFile(let p, let problem) {
    #expect(p == path, "error names \(p)", sourceLocation: sourceLocation)
    #expect(problem.contains(fragment), "problem was: \(problem)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("expected EngineError.badFile, got \(error)", sourceLocation: sourceLocation)
  }
}

func littleEndianBytes(_ values: [UInt16]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

let referenceDirectory = TestPaths.fixtures.appendingPathComponent("reference")

// MARK: Tests

@Suite struct SafeTensorsTests {
  @Test func writesTheExactBytesOfTheSpec() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var writer = SafeTensorsWriter()
    writer.append("a", shape: [1], floats: [1.0])
    let url = dir.appendingPathComponent("one.safetensors")
    try writer.write(to: url)
    // {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 54 bytes; padded with 2 spaces to
    // 56 (a multiple of 8), so the u64 is 56 = 0x38. 1.0f is 0x3F800000, little-endian 00 00 80 3F.
    let json = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    #expect(json.utf8.count == 54)
    let expected: [UInt8] = [0x38, 0, 0, 0, 0, 0, 0, 0] + Array(json.utf8) + [0x20, 0x20] + [0x00, 0x00, 0x80, 0x3F]
    #expect(try Array(Data(contentsOf: url)) == expected)
  }

  @Test func headerIsPaddedWithSpacesToEightBytes() {
    for nameLength in 1...9 {
      var writer = SafeTensorsWriter(metadata: ["k": "v"])
      writer.append(String(repeating: "x", count: nameLength), shape: [2], floats: [1, 2])
      let bytes = writer.headerBytes()
      let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
      #expect(length == bytes.count - 8)
      #expect(length % 8 == 0)
      let json = String(decoding: bytes[8...], as: UTF8.self)
      #expect(json.hasSuffix("}") || json.hasSuffix(" "))
      #expect(json.trimmingCharacters(in: .whitespaces).hasSuffix("}"))
    }
  }

  @Test func roundTripsValuesShapesAndMetadata() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let special: [Float] = [0, -0.0, 1, -1.5, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
    let metadata = ["config": #"{"n_embd": 36}"#, "quote\"key": "line\nbreak\ttab\u{01}", "unicode": "héllo 🚀"]
    var writer = SafeTensorsWriter(metadata: metadata)
    writer.append("special", shape: [2, 4], floats: special)
    writer.append("scalar", shape: [], floats: [42])
    writer.append("empty", shape: [0, 5], floats: [])
    writer.append("nan", shape: [1], floats: [Float(bitPattern: 0x7FC0_1234)])
    writer.append("half", dtype: .f16, shape: [2], bytes: littleEndianBytes([0x3C00, 0xC000]))
    let url = dir.appendingPathComponent("round.safetensors")
    try writer.write(to: url)

    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata == metadata)
    #expect(Set(file.tensors.map(\.name)) == ["special", "scalar", "empty", "nan", "half"])
    #expect(file["special"]?.shape == [2, 4])
    #expect(file["scalar"]?.shape == [])
    #expect(file["empty"]?.shape == [0, 5])
    #expect(file["half"]?.dtype == .f16)
    #expect(try file.floats("special").map(\.bitPattern) == special.map(\.bitPattern))
    #expect(try file.floats("scalar") == [42])
    #expect(try file.floats("empty") == [])
    #expect(try file.floats("nan").map(\.bitPattern) == [0x7FC0_1234])
    #expect(try file.floats("half") == [1, -2])
  }

  /// binary16: sign | 5-bit exponent, bias 15 | 10-bit mantissa. value = (-1)^s · 2^(e-15) · (1 + m/1024),
  /// or 2^-14 · m/1024 when e = 0 (subnormal); e = 31 is ∞ (m = 0) or NaN.
  @Test func convertsHalfPrecisionByHand() {
    let cases: [(UInt16, Float)] = [
      (0x3C00, 1.0),  // e = 15, m = 0: 2^0
      (0xC000, -2.0),  // s = 1, e = 16: -2^1
      (0x3555, 0.333251953125),  // e = 13, m = 0x155 = 341: 2^-2 · (1 + 341/1024) = 1365/4096
      (0x7BFF, 65504),  // largest normal: e = 30, m = 1023: 2^15 · 2047/1024
      (0x0400, 0x1p-14),  // smallest normal
      (0x0001, 0x1p-24),  // smallest subnormal: 2^-14 · 1/1024
      (0x03FF, 1023 * 0x1p-24),  // largest subnormal
      (0x8001, -0x1p-24),
      (0x0000, 0), (0x7C00, .infinity), (0xFC00, -.infinity),
    ]
    for (bits, value) in cases {
      #expect(SafeTensorsFile.float(fromHalf: bits) == value, "0x\(String(bits, radix: 16))")
    }
    #expect(SafeTensorsFile.float(fromHalf: 0x8000).bitPattern == 0x8000_0000)  // -0 keeps its sign
    #expect(SafeTensorsFile.float(fromHalf: 0x7E00).isNaN)
    #expect(SafeTensorsFile.float(fromHalf: 0xFD01).isNaN)
  }

  #if !(os(macOS) && arch(x86_64))
  /// All 65,536 halves against the standard library's own conversion (bit for bit; NaN as NaN).
  @Test func halfConversionMatchesFloat16Everywhere() {
    for bits in 0...UInt16.max {
      let ours = SafeTensorsFile.float(fromHalf: bits)
      let swift = Float(Float16(bitPattern: bits))
      if swift.isNaN {
        #expect(ours.isNaN)
      } else if ours.bitPattern != swift.bitPattern {
        Issue.record("0x\(String(bits, radix: 16)): \(ours) vs \(swift)")
        return
      }
    }
  }
  #endif

  /// bfloat16 is the upper 16 bits of a binary32: sign | 8-bit exponent, bias 127 | 7-bit mantissa.
  @Test func convertsBFloat16ByHand() {
    #expect(SafeTensorsFile.float(fromBFloat16: 0x3F80) == 1.0)  // 0x3F800000
    #expect(SafeTensorsFile.float(fromBFloat16: 0x4049) == 3.140625)  // 2^1 · (1 + 73/128)
    #expect(SafeTensorsFile.float(fromBFloat16: 0xC000) == -2.0)
    #expect(SafeTensorsFile.float(fromBFloat16: 0x0001) == 0x1p-133)  // subnormal: 2^-126 · 1/128
    #expect(SafeTensorsFile.float(fromBFloat16: 0x7F7F) == 0x1.FEp127)  // largest finite
    #expect(SafeTensorsFile.float(fromBFloat16: 0xFF80) == -.infinity)
    #expect(SafeTensorsFile.float(fromBFloat16: 0x7FC0).isNaN)
  }

  /// dtypes.safetensors is written by safetensors.torch.save_file; the values are in make_reference.py.
  @Test func readsAFileWrittenByPythonSafetensors() throws {
    let file = try SafeTensorsFile(contentsOf: referenceDirectory.appendingPathComponent("dtypes.safetensors"))
    #expect(file.metadata == ["written_by": "make_reference.py \"dtypes\"\n"])
    #expect(file["f32"]?.shape == [2, 3])
    #expect(try file.floats("f32") == [-1, -0.5, 0, 0.5, 1, 1.5])
    let f16 = try file.floats("f16")
    #expect(Array(f16[0..<7]) == [1, -2, 65504, 0x1p-24, 0x1p-14, .infinity, -.infinity])
    #expect(f16[7].bitPattern == 0x8000_0000)  // -0.0
    #expect(f16[8] == 0.333251953125)  // 1/3 rounded to half: 0x3555, see convertsHalfPrecisionByHand
    #expect(try file.floats("f16nan")[0].isNaN)
    #expect(try file.floats("bf16") == [1, 3.140625, -0x1p-133, -.infinity, 0x1p127])
    #expect(try file.floats("f64") == [Float(0.1), -.infinity])  // -1e300 overflows Float
    #expect(try file.integers("i64") == [0, -1, 1 << 40, 7])
    #expect(try file.integers("i32") == [Int(Int32.min), Int(Int32.max)])
    #expect(try file.integers("u8") == [0, 255])
    #expect(file["scalar"]?.shape == [])
    #expect(try file.floats("scalar") == [2.5])
    #expect(file["empty"]?.shape == [0, 3])
    #expect(try file.floats("empty") == [])
  }

  @Test func refusesToConvertIntegersToFloatAndNamesMissingTensors() throws {
    let url = referenceDirectory.appendingPathComponent("dtypes.safetensors")
    let file = try SafeTensorsFile(contentsOf: url)
    expectBadFile(path: url.path, containing: "dtype I64") { _ = try file.floats("i64") }
    expectBadFile(path: url.path, containing: "not an integer type") { _ = try file.integers("f32") }
    expectBadFile(path: url.path, containing: "no tensor named \"nope\"") { _ = try file.floats("nope") }
  }

  @Test func readsTheHuggingFaceSavePretrainedFile() throws {
    let file = try SafeTensorsFile(contentsOf: referenceDirectory.appendingPathComponent("tiny-gpt2/model.safetensors"))
    #expect(file.metadata["format"] == "pt")
    #expect(file.tensors.count == 2 + 12 * 2 + 2)  // wte, wpe, 12 per block, ln_f; lm_head is tied
    #expect(file["transformer.h.0.attn.c_attn.weight"]?.shape == [36, 108])  // Conv1D (in, out)
  }

  @Test func atomicWriteReplacesAndLeavesNoTemporaryFile() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("x.bin")
    try AtomicFile.write(to: url) { try $0.write([1, 2, 3]) }
    try AtomicFile.write(to: url) { try $0.write([4, 5]) }
    #expect(try Array(Data(contentsOf: url)) == [4, 5])
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.bin"])
  }

  @Test func failedAtomicWriteKeepsTheOldFile() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("x.bin")
    try AtomicFile.write(to: url) { try $0.write([1, 2, 3]) }
    struct Interrupted: Error {}
    #expect(throws: Interrupted.self) {
      try AtomicFile.write(to: url) { sink in
        try sink.write([9, 9, 9, 9])
        throw Interrupted()
      }
    }
    #expect(try Array(Data(contentsOf: url)) == [1, 2, 3])
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.bin"])
  }

  @Test func writingIntoAMissingFolderIsATypedError() throws {
    let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
    var writer = SafeTensorsWriter()
    writer.append("a", shape: [1], floats: [1])
    expectBadFile(path: url.path, containing: "cannot create a temporary file") { try writer.write(to: url) }
  }
}
