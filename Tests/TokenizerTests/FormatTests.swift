// Files: save → load round trips (tokenizer.json and GPT-2's two files, atomic writes), and
// corrupt or hostile files, each refused with a TokenizerError naming the file and the problem.
import Foundation
import Testing

@testable import Tokenizer

@Suite struct FormatTests {
  @Test func savedFilesLoadBackToTheSameTokenizer() throws {
    let folder = try TemporaryFolder()
    let original = try Fixtures.hfTokenizer()
    let json = folder.url.appendingPathComponent("tokenizer.json")
    try original.save(to: json)
    try original.save(to: json)  // overwriting works too
    let loaded = try BPETokenizer.load(from: json)
    #expect(loaded.tokenizerJSON() == original.tokenizerJSON())
    try original.saveGPT2Files(
      vocabularyJSON: folder.url.appendingPathComponent("vocab.json"),
      merges: folder.url.appendingPathComponent("merges.txt"))
    let gpt2 = try BPETokenizer.load(
      vocabularyJSON: folder.url.appendingPathComponent("vocab.json"),
      merges: folder.url.appendingPathComponent("merges.txt"), specialTokens: BPETokenizer.defaultSpecialTokens)
    // Byte for byte what HF's `model.save` wrote for the same model.
    #expect(try Data(contentsOf: folder.url.appendingPathComponent("vocab.json")) == Fixtures.data("hf/vocab.json"))
    #expect(try Data(contentsOf: folder.url.appendingPathComponent("merges.txt")) == Fixtures.data("hf/merges.txt"))
    for c in try Fixtures.cases().cases {
      #expect(loaded.encode(c.text) == c.ids)
      #expect(gpt2.encode(c.text) == c.ids)
    }
    // No temporary file is left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    #expect(names == ["merges.txt", "tokenizer.json", "vocab.json"])
  }

  @Test func savingIntoAMissingFolderIsAnError() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    let url = URL(fileURLWithPath: "/nonexistent-folder-\(UUID().uuidString)/tokenizer.json")
    #expect { try tokenizer.save(to: url) } throws: { error in
      guard case .fileAccess(let path, _) = error as? TokenizerError else { return false }
      return path == url.path
    }
  }

  /// A minimal valid file with `model` replaced, for the hostile variants below.
  static func file(model: String, extra: String = "") -> String {
    """
    {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false}, \(extra)
     "model": \(model)}
    """
  }

  static let bytes = (0..<256).map { "\(jsonString(String(ByteLevel.characters[$0]))): \($0)" }.joined(separator: ", ")

  @Test(arguments: [
    ("{", "invalid JSON: unexpected end of file"),
    ("[1, 2]", "(top level): expected an object, found an array"),
    (String(repeating: "[", count: 100_000), "nested deeper than 64 levels"),
    (
      file(model: #"{"type": "BPE", "vocab": {"a": "x"}, "merges": []}"#),
      #"model.vocab["a"]: expected an integer, found a string"#
    ),
    (file(model: #"{"type": "BPE", "vocab": {"a": 1.5}, "merges": []}"#), "expected an integer, found a number"),
    (file(model: #"{"type": "BPE", "vocab": {"a": 0, "a": 1}, "merges": []}"#), #"the key "a" appears twice"#),
    (file(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 0}, "merges": []}"#), "ids must be unique"),
    (file(model: #"{"type": "BPE", "vocab": {"a": -3}, "merges": []}"#), "id -3 is negative"),
    (file(model: #"{"type": "BPE", "vocab": {"a": 1000000000000}, "merges": []}"#), "the largest id is 1000000000000, too large"),
    (
      file(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}"#),
      #"model.merges[0]: token "c" is not in the vocabulary"#
    ),
    (
      file(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}"#),
      #"the merged token "ab" is not in the vocabulary"#
    ),
    (file(model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": ["a a a"]}"#), "is not two tokens separated by one space"),
    (
      file(model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": [7]}"#),
      #"expected a string "a b" or an array of two strings, found an integer"#
    ),
    (file(model: #"{"type": "BPE", "vocab": [], "merges": []}"#), "model.vocab: expected an object"),
    (file(model: #"{"type": "BPE", "merges": []}"#), "model.vocab: missing"),
    (file(model: #"{"type": "BPE", "vocab": {}, "merges": []}"#), "the vocabulary is empty"),
    (file(model: #"{"type": "WordPiece", "vocab": {"a": 0}}"#), "model.type: the model \"WordPiece\" is not supported"),
    (
      file(model: #"{"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}"#),
      "model.dropout: dropout a number is not supported"
    ),
    (
      file(model: #"{"type": "BPE", "unk_token": "<unk>", "vocab": {"a": 0}, "merges": []}"#),
      #"model.unk_token: token "<unk>" is not in the vocabulary"#
    ),
    (
      file(model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": []}"#, extra: #""normalizer": {"type": "NFC"},"#),
      "normalizer: a normalizer is not supported"
    ),
    (
      #"{"pre_tokenizer": {"type": "Whitespace"}, "model": {"vocab": {"a": 0}, "merges": []}}"#,
      #"pre_tokenizer: the type "Whitespace" is not supported"#
    ),
    (#"{"model": {"vocab": {"a": 0}, "merges": []}}"#, "pre_tokenizer"),
    (
      file(
        model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": []}"#,
        extra: #""added_tokens": [{"id": 0, "content": "<s>", "special": true}],"#),
      #"added_tokens["<s>"]: id 0 is already the id of "a""#
    ),
    (
      file(
        model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": []}"#, extra: #""added_tokens": [{"id": "0", "content": "<s>"}],"#),
      "added_tokens[0].id: expected an integer, found a string"
    ),
    (
      file(
        model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": []}"#,
        extra: #""added_tokens": [{"id": 1, "content": "<s>", "special": "yes"}],"#),
      "added_tokens[0].special: expected true or false"
    ),
    (#"{"model": "\ud800"}"#, "unpaired surrogate"),
  ])
  func hostileTokenizerJSONIsRefusedWithAClearError(content: String, expected: String) throws {
    let folder = try TemporaryFolder()
    let url = try folder.file("bad.json", content)
    #expect {
      _ = try BPETokenizer.load(from: url)
    } throws: { error in
      let message = (error as? TokenizerError)?.description ?? "not a TokenizerError: \(error)"
      let ok = message.contains(url.path) && message.contains(expected)
      if !ok { Issue.record("message: \(message)") }
      return ok
    }
  }

  @Test func aValidMinimalFileLoads() throws {
    let folder = try TemporaryFolder()
    let content = Self.file(
      model: #"{"type": "BPE", "vocab": {\#(Self.bytes), "ab": 256}, "merges": ["a b"]}"#,
      extra: #""added_tokens": [{"id": 257, "content": "<s>", "special": true}],"#)
    let tokenizer = try BPETokenizer.load(from: try folder.file("ok.json", content))
    #expect(tokenizer.encode("ab<s>a") == [256, 257, 97])
  }

  @Test func filesThatAreMissingTooLargeOrNotFilesAreErrors() throws {
    let folder = try TemporaryFolder()
    let big = try folder.file("big.json", String(repeating: " ", count: 100))
    #expect(throws: TokenizerError.fileTooLarge(path: big.path, bytes: 100, limit: 10)) {
      _ = try TokenizerFiles.read(big, limit: 10)
    }
    let missing = folder.url.appendingPathComponent("missing.json")
    #expect(throws: TokenizerError.fileAccess(path: missing.path, problem: "no such file or folder")) {
      _ = try BPETokenizer.load(from: missing)
    }
    #expect { _ = try TokenizerFiles.read(folder.url) } throws: { error in
      (error as? TokenizerError) == .fileAccess(path: folder.url.path, problem: "not a regular file")
    }
  }

  @Test func badMergesTextNamesTheLine() throws {
    let folder = try TemporaryFolder()
    let vocab = try folder.file("vocab.json", "{\(Self.bytes)}")
    let merges = try folder.file("merges.txt", "#version: 0.2\na b\nab\n")
    #expect(
      throws: TokenizerError.invalidFile(
        path: merges.path, field: "line 3", problem: "\"ab\" is not two tokens separated by one space")
    ) {
      _ = try BPETokenizer.load(vocabularyJSON: vocab, merges: merges)
    }
    let notObject = try folder.file("vocab2.json", "[\"a\"]")
    #expect(
      throws: TokenizerError.invalidFile(
        path: notObject.path, field: "(top level)", problem: "expected an object of token → id, found an array")
    ) {
      _ = try BPETokenizer.load(vocabularyJSON: notObject, merges: merges)
    }
  }

  @Test func jsonEscapesRoundTrip() throws {
    let text = "quote \" backslash \\ tab \t newline \n nul \u{0} rocket 🚀 é"
    let parsed = try JSONReader.parse(Array(jsonString(text).utf8), path: "test")
    #expect(parsed == .string(text))
    #expect(try JSONReader.parse(Array(#""\ud83d\ude80 \u00e9""#.utf8), path: "test") == .string("🚀 é"))
  }
}
