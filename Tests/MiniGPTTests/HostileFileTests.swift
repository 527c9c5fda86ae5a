// Hostile SafeTensors files, each crafted byte by byte: every one must give EngineError.badFile
// naming the file and the problem — never a crash, trap, hang or huge allocation.
// The rules come from the format spec and the Rust crate's validation (safetensors/src/tensor.rs).

import Foundation
import MiniGPT
import Testing

@Suite struct HostileFileTests {
  /// Writes `bytes` to a scratch file and expects opening it to fail with `fragment` in the problem.
  func expectRejected(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("hostile.safetensors")
    try Data(bytes).write(to: url)
    expectBadFile(path: url.path, containing: fragment, sourceLocation: sourceLocation) {
      _ = try SafeTensorsFile(contentsOf: url)
    }
  }

  /// One F32 tensor entry for a header.
  func entry(_ name: String, _ shape: String, _ begin: Int, _ end: Int, dtype: String = "F32") -> String {
    #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(begin),\#(end)]}"#
  }

  let zeros8 = [UInt8](repeating: 0, count: 8)

  @Test func emptyAndTooShortFiles() throws {
    try expectRejected([], "0 bytes, too short")
    try expectRejected([1, 0, 0], "3 bytes, too short")
  }

  @Test func headerLengthZeroAbsurdOrPastTheEnd() throws {
    try expectRejected(safetensorsBytes(header: ""), "header length is 0")
    try expectRejected(safetensorsBytes(header: "{}", declaredLength: UInt64.max), "absurd")
    try expectRejected(safetensorsBytes(header: "{}", declaredLength: 100_000_001), "absurd")
    try expectRejected(safetensorsBytes(header: "{}", declaredLength: 1 << 40), "absurd")
    try expectRejected(safetensorsBytes(header: "{}", declaredLength: 1000), "runs past the end of the file (10 bytes)")
  }

  @Test func truncatedFiles() throws {
    let whole = safetensorsBytes(header: "{" + entry("w", "[4]", 0, 16) + "}", data: [UInt8](repeating: 1, count: 16))
    // Cut inside the data: the header is intact but the tensor runs past the end.
    try expectRejected(Array(whole.dropLast(5)), "past the end of the data (11 bytes)")
    // Cut inside the header: the declared length now runs past the end of the file.
    try expectRejected(Array(whole.prefix(20)), "runs past the end of the file")
  }

  @Test func headerThatIsNotJSON() throws {
    try expectRejected(safetensorsBytes(header: "hello world!"), "must be a JSON object")
    try expectRejected(safetensorsBytes(header: "{\"a\":{"), "not valid JSON")
    try expectRejected(safetensorsBytes(header: "{\"a\" 1}"), "not valid JSON")
    try expectRejected(safetensorsBytes(header: "{} trailing"), "unexpected 't' after the value")
    try expectRejected(safetensorsBytes(header: "{}\0\0"), "unexpected byte 0x0")
    try expectRejected(safetensorsBytes(header: "[1, 2]"), "must be a JSON object")
    try expectRejected(safetensorsBytes(header: "{\"a\":{\"dtype\":\"F32\" ,}}"), "not valid JSON")
    // A name that is not UTF-8 (0xFF never occurs in UTF-8).
    let badName = safetensorsBytes(header: "{\"x\":1}").map { $0 == UInt8(ascii: "x") ? 0xFF : $0 }
    try expectRejected(badName, "not valid UTF-8")
  }

  /// Deep nesting must stop at the depth limit, not overflow the stack (a million levels here).
  @Test func pathologicallyNestedHeaders() throws {
    let deep = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
    try expectRejected(safetensorsBytes(header: deep), "must be a JSON object")
    let inUnknownField = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":" + deep + "}}"
    try expectRejected(safetensorsBytes(header: inUnknownField), "nested deeper than 16 levels")
    let inShape = "{\"w\":{\"dtype\":\"F32\",\"shape\":" + deep + ",\"data_offsets\":[0,0]}}"
    try expectRejected(safetensorsBytes(header: inShape), "nested deeper than 16 levels")
    let objects = String(repeating: "{\"a\":", count: 200_000) + "1" + String(repeating: "}", count: 200_000)
    try expectRejected(safetensorsBytes(header: objects), "nested deeper than 16 levels")
    let inMetadata = "{\"__metadata__\":{\"k\":" + deep + "}}"
    try expectRejected(safetensorsBytes(header: inMetadata), "__metadata__ value for \"k\" must be a string")
  }

  @Test func offsetsOutOfRangeReversedOverlappingOrNotCovering() throws {
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[2]", 0, 8) + "}", data: [0, 0, 0, 0]),
      "past the end of the data (4 bytes)")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[1]", 8, 4) + "}", data: zeros8),
      "reversed data_offsets [8, 4]")
    let overlap = "{" + entry("a", "[2]", 0, 8) + "," + entry("b", "[2]", 4, 12) + "}"
    try expectRejected(safetensorsBytes(header: overlap, data: zeros8 + [0, 0, 0, 0]), "overlap")
    let same = "{" + entry("a", "[2]", 0, 8) + "," + entry("b", "[2]", 0, 8) + "}"
    try expectRejected(safetensorsBytes(header: same, data: zeros8), "overlap")
    let gap = "{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[1]", 8, 12) + "}"
    try expectRejected(safetensorsBytes(header: gap, data: zeros8 + [0, 0, 0, 0]), "data bytes [4, 8) belong to no tensor")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("a", "[1]", 0, 4) + "}", data: zeros8),
      "the last 4 bytes of data belong to no tensor")
    try expectRejected(safetensorsBytes(header: "{}", data: [7]), "the last 1 bytes of data belong to no tensor")
    try expectRejected(safetensorsBytes(header: "{" + entry("w", "[1]", 0, 4) + "}"), "past the end of the data (0 bytes)")
  }

  @Test func shapeTimesDtypeMustEqualTheByteLength() throws {
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[3]", 0, 8) + "}", data: zeros8),
      "F32 with shape [3], which needs 12 bytes, but data_offsets [0, 8] hold 8")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[3]", 0, 8, dtype: "F16") + "}", data: zeros8),
      "needs 6 bytes")
    // 2^40 elements would be 4 TiB: refused by arithmetic, never allocated.
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[1099511627776]", 0, 8) + "}", data: zeros8),
      "needs 4398046511104 bytes")
  }

  @Test func absurdAndNegativeShapes() throws {
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[4294967296,4294967296]", 0, 8) + "}", data: zeros8),
      "element count overflows")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[2305843009213693952]", 0, 8, dtype: "F64") + "}", data: zeros8),
      "byte size overflows")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[99999999999999999999]", 0, 8) + "}", data: zeros8),
      "not an integer that fits in 64 bits")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[-2]", 0, 8) + "}", data: zeros8),
      "negative number -2")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[1.5]", 0, 8) + "}", data: zeros8),
      "holds 1.5, not an integer")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[\"2\"]", 0, 8) + "}", data: zeros8),
      "holds the string \"2\", not an integer")
    let rank65 = "[" + Array(repeating: "1", count: 65).joined(separator: ",") + "]"
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", rank65, 0, 4) + "}", data: [0, 0, 0, 0]),
      "more than 64 dimensions")
    try expectRejected(safetensorsBytes(header: "{" + entry("w", "[1]", -4, 0) + "}"), "negative number -4")
  }

  @Test func unknownDtypeAndMalformedEntries() throws {
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[1]", 0, 4, dtype: "Q4_K") + "}", data: [0, 0, 0, 0]),
      "unknown dtype \"Q4_K\"")
    try expectRejected(
      safetensorsBytes(header: "{" + entry("w", "[1]", 0, 4, dtype: "f32") + "}", data: [0, 0, 0, 0]),
      "unknown dtype \"f32\"")
    try expectRejected(
      safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0]),
      "lacks data_offsets")
    try expectRejected(
      safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#),
      "data_offsets must be [begin, end]")
    try expectRejected(
      safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}}"#),
      "data_offsets must be [begin, end]")
    try expectRejected(
      safetensorsBytes(header: #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#),
      "dtype must be a string")
    try expectRejected(safetensorsBytes(header: #"{"w":[1,2]}"#), "entry \"w\" must be an object")
    try expectRejected(
      safetensorsBytes(header: #"{"__metadata__":{"step":3}}"#), "__metadata__ value for \"step\" must be a string")
    try expectRejected(safetensorsBytes(header: #"{"__metadata__":"v1"}"#), "__metadata__ must be an object of strings")
  }

  @Test func duplicateNames() throws {
    let twice = "{" + entry("w", "[1]", 0, 4) + "," + entry("w", "[1]", 4, 8) + "}"
    try expectRejected(safetensorsBytes(header: twice, data: zeros8), "duplicate key \"w\"")
    try expectRejected(
      safetensorsBytes(header: #"{"w":{"dtype":"F32","dtype":"F16","shape":[0],"data_offsets":[0,0]}}"#),
      "duplicate key \"dtype\"")
    try expectRejected(safetensorsBytes(header: #"{"__metadata__":{"a":"1","a":"2"}}"#), "duplicate key \"a\"")
  }

  @Test func pathsThatAreNotFiles() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    expectBadFile(path: dir.path, containing: "not a regular file") { _ = try SafeTensorsFile(contentsOf: dir) }
    let missing = dir.appendingPathComponent("missing.safetensors")
    expectBadFile(path: missing.path, containing: "cannot open: No such file or directory") {
      _ = try SafeTensorsFile(contentsOf: missing)
    }
  }

  /// Sanity check that the crafting helpers make valid files: the same layouts, fixed, load.
  @Test func wellFormedCraftedFilesLoad() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("ok.safetensors")
    // Unpadded header, zero-size tensors at shared offsets, an unknown field (ignored), and a 4-byte
    // F32 data at an odd file offset (the header is padded to 8 + length ≡ 1 mod 4): all legal.
    let header =
      "{\"__metadata__\":{\"k\":\"v\"}," + entry("a", "[2]", 0, 8) + "," + entry("z", "[0]", 8, 8)
      + "," + entry("y", "[3,0]", 8, 8) + "," + #""b":{"dtype":"F32","shape":[1],"data_offsets":[8,12],"extra":{"n":[1]}}}"#
    let data: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0x40, 0x40]  // 1.0, -2.0, 3.0
    var padded = header
    while (8 + padded.utf8.count) % 4 != 1 { padded += " " }
    try Data(safetensorsBytes(header: padded, data: data)).write(to: url)
    let file = try SafeTensorsFile(contentsOf: url)
    #expect(try file.floats("a") == [1, -2])
    #expect(try file.floats("b") == [3])
    #expect(try file.floats("y") == [])
    #expect(file.metadata == ["k": "v"])
  }
}
