// Loading the Hugging Face fixtures of Tests/Fixtures/tokenizer (made by make_tokenizer_fixtures.py
// with tokenizers 0.23.3), and a seeded random generator for the property tests.
import Foundation
import TestSupport

@testable import Tokenizer

struct FixtureCase: Decodable {
  let text: String
  let pretokens: [String]
  let ids: [Int]
  let tokens: [String]
  let decoded: String
  let prefix_space_ids: [Int]
  /// ids from the hf/tokenizer_<name>.json variants (no_regex, ignore_merges, unk, unk_fused, unk_dropped)
  let variant_ids: [String: [Int]]
}

struct FixtureCases: Decodable {
  let tokenizers_version: String
  let vocab_size: Int
  let specials: [String]
  let cases: [FixtureCase]
}

struct HFCheck: Decodable {
  struct Case: Decodable {
    let text: String
    let ids: [Int]
    let decoded: String
  }
  let same_vocab_as_hf_training: Bool
  let same_merges_as_hf_training: Bool
  let gpt2_files_give_same_ids: Bool
  let cases: [Case]
}

enum Fixtures {
  static let folder = TestPaths.fixtures.appendingPathComponent("tokenizer")

  static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

  static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

  static func cases() throws -> FixtureCases {
    try JSONDecoder().decode(FixtureCases.self, from: data("cases.json"))
  }

  static func corpus() throws -> [UInt8] { [UInt8](try data("corpus.txt")) }

  /// The tokenizer HF trained on corpus.txt.
  static func hfTokenizer() throws -> BPETokenizer {
    try BPETokenizer.load(from: url("hf/tokenizer.json"))
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a seeded generator, so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A temporary folder removed at the end of a test.
final class TemporaryFolder {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }
  func file(_ name: String, _ content: String) throws -> URL {
    let file = url.appendingPathComponent(name)
    try Data(content.utf8).write(to: file)
    return file
  }
}
