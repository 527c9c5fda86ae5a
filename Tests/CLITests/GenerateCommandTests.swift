// `generate` through the built binary: a Hugging Face GPT-2 folder gives the greedy token ids that
// transformers' model.generate gave (Tests/Fixtures/reference/reference.json, made by
// Tests/Fixtures/make_reference.py), with and without the KV cache; text streams to stdout with
// statistics on stderr; seeds reproduce; the shipped model is the default; errors are clean.
import Foundation
import TestSupport
import Testing

@Suite struct GenerateCommandTests {
  @Test func huggingFaceFolderMatchesTransformersGreedy() throws {
    let json = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("reference/reference.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    let reference = try #require(root["generate"] as? [String: Any])
    let prompt = try #require(reference["prompt"] as? [Int])
    let expected = try #require(reference["tokens"] as? [Int])  // prompt + continuation
    let newTokens = try #require(reference["max_new_tokens"] as? Int)
    let folder = TestPaths.fixtures.appendingPathComponent("reference/tiny-gpt2").path
    for cache in [true, false] {
      let r = try CLI.run(
        [
          "generate", "--model", folder, "--prompt-ids", prompt.map(String.init).joined(separator: ","),
          "--max-tokens", String(newTokens), "--temperature", "0",
        ] + (cache ? [] : ["--no-kv-cache"]))
      #expect(r.status == 0, "\(r.stderr)")
      let ids = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
      #expect(ids == expected, "KV cache \(cache): \(ids) vs transformers \(expected)")
      #expect(r.stderr.contains("\(newTokens) tokens in"))
    }
  }

  /// A folder with model.safetensors and tokenizer.json (Hugging Face's layout) is used as a whole:
  /// the same text as the file with its tokenizer beside it.
  @Test func aFolderWithTokenizerJSONGeneratesText() throws {
    let model = try TinyModel.url()
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: model, to: folder.appendingPathComponent("model.safetensors"))
    try FileManager.default.copyItem(
      at: model.deletingPathExtension().appendingPathExtension("tokenizer.json"),
      to: folder.appendingPathComponent("tokenizer.json"))
    let args = ["generate", "--prompt", "A casa", "--max-tokens", "10", "--seed", "4"]
    let fromFolder = try CLI.run(args + ["--model", folder.path])
    let fromFile = try CLI.run(args + ["--model", model.path])
    #expect(fromFolder.status == 0, "\(fromFolder.stderr)")
    #expect(fromFolder.stdout == fromFile.stdout && fromFolder.stdout.hasPrefix("A casa"))
  }

  @Test func streamsTextAndReportsStatistics() throws {
    let model = try TinyModel.url()
    let r = try CLI.run(["generate", "--model", model.path, "--prompt", "O Brasil é", "--max-tokens", "12", "--seed", "3"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("O Brasil é"))
    #expect(r.stdout.hasSuffix("\n"))
    // "12 tokens in 0.012 s: 1000.0 tokens/s (prompt …"
    let stats = try #require(r.stderr.split(separator: "\n").last.map(String.init))
    let parts = stats.split(separator: " ")
    #expect(parts.count > 7 && parts[0] == "12" && parts[1] == "tokens" && parts[2] == "in" && parts[6] == "tokens/s", "\(stats)")
    let seconds = try #require(Double(parts[3])), rate = try #require(Double(parts[5]))
    // The seconds are printed to 3 decimals (±0.0005 s, several % of a 20 ms run) and the rate to 1:
    // the rate must give back the printed seconds within their rounding.
    #expect(
      seconds > 0 && rate > 0 && abs(12 / rate - seconds) <= 0.0005 + 12 * 0.05 / (rate * rate) + 1e-9,
      "tokens/s \(rate) ≠ 12 / \(seconds)")
  }

  /// The streamed text is exactly the bytes of the generated tokens, even when a token ends inside
  /// a multi-byte character (likely here: with 320 tokens, "ç" and "ã" are often two byte tokens).
  /// The ids are decoded independently: tokenizer.json's byte-level vocabulary through GPT-2's
  /// bytes_to_unicode table (openai/gpt-2 encoder.py).
  @Test func streamedTextIsTheBytesOfTheTokens() throws {
    let model = try TinyModel.url()
    let json = try Data(contentsOf: model.deletingPathExtension().appendingPathExtension("tokenizer.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    let vocabulary = try #require((root["model"] as? [String: Any])?["vocab"] as? [String: Int])
    var byteOf: [Character: UInt8] = [:]
    var printable = Array(33...126) + Array(161...172) + Array(174...255)
    var extra = 0
    for b in 0..<256 where !printable.contains(b) {
      byteOf[Character(Unicode.Scalar(UInt32(256 + extra))!)] = UInt8(b)
      extra += 1
    }
    for b in printable { byteOf[Character(Unicode.Scalar(UInt32(b))!)] = UInt8(b) }
    printable = []
    var tokenBytes: [Int: [UInt8]] = [:]
    for (token, id) in vocabulary {
      let mapped = token.map { byteOf[$0] }
      tokenBytes[id] = mapped.contains(nil) ? Array(token.utf8) : mapped.map { $0! }
    }
    var sawSplitCharacter = false
    for seed in 1...6 {
      let common = [
        "generate", "--model", model.path, "--prompt", "A educação", "--max-tokens", "40", "--seed", String(seed),
        "--temperature", "1.2", "--no-echo",
      ]
      let ids = try CLI.run(common + ["--ids"]).stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
      let text = try CLI.run(common)
      #expect(!ids.isEmpty && ids.count <= 40)  // fewer when the end-of-text token is drawn
      let expected = ids.flatMap { tokenBytes[$0] ?? [] }
      #expect(Array(text.stdout.utf8.dropLast()) == Array(String(decoding: expected, as: UTF8.self).utf8), "seed \(seed)")
      sawSplitCharacter =
        sawSplitCharacter || ids.contains { id in tokenBytes[id].map { String(bytes: $0, encoding: .utf8) == nil } ?? false }
    }
    #expect(sawSplitCharacter, "no token ended inside a character; the test did not exercise the streaming decoder")
  }

  @Test func seedsReproduceAndGreedyIgnoresThem() throws {
    let model = try TinyModel.url().path
    func run(_ extra: [String]) throws -> String {
      let r = try CLI.run(["generate", "--model", model, "--prompt", "A cidade", "--max-tokens", "16", "--no-echo"] + extra)
      #expect(r.status == 0, "\(r.stderr)")
      return r.stdout
    }
    #expect(try run(["--seed", "5", "--temperature", "1"]) == run(["--seed", "5", "--temperature", "1"]))
    #expect(try run(["--seed", "5", "--temperature", "0"]) == run(["--seed", "6", "--temperature", "0"]))
    // Sampled ids never leave the kept set: with top-k 1 sampling is greedy.
    #expect(try run(["--seed", "9", "--top-k", "1"]) == run(["--temperature", "0"]))
  }

  @Test func theShippedModelIsTheDefault() throws {
    let shipped = TestPaths.packageRoot.appendingPathComponent("models/mini_gpt.safetensors")
    try #require(FileManager.default.fileExists(atPath: shipped.path), "models/mini_gpt.safetensors is not in the checkout")
    // From an unrelated folder: the model is found above the executable.
    let elsewhere = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: elsewhere) }
    let r = try CLI.run(["generate", "--prompt", "O Brasil é", "--max-tokens", "8", "--temperature", "0"], directory: elsewhere)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("O Brasil é"))
    #expect(r.stderr.contains("mini_gpt.safetensors"))
  }

  @Test func badInputGivesOneClearError() throws {
    let model = try TinyModel.url().path
    let missing = try CLI.run(["generate", "--model", "/nonexistent/model.safetensors", "--prompt", "x"])
    #expect(
      missing.status == 1 && missing.stderr.hasPrefix("error: /nonexistent/model.safetensors: no such file"), "\(missing.stderr)")
    let badIDs = try CLI.run(["generate", "--model", model, "--prompt-ids", "1,99999"])
    #expect(badIDs.status == 1 && badIDs.stderr.contains("item 2 \"99999\" is not a token id in 0..<320"), "\(badIDs.stderr)")
    let topP = try CLI.run(["generate", "--model", model, "--prompt", "x", "--top-p", "1.5"])
    #expect(topP.status == 64 && topP.stderr.contains("--top-p must be in (0, 1]"), "\(topP.stderr)")
    let both = try CLI.run(["generate", "--model", model, "--prompt", "x", "--prompt-ids", "1"])
    #expect(both.status == 64, "\(both.stderr)")
    let noTokenizer = try CLI.run([
      "generate", "--model", TestPaths.fixtures.appendingPathComponent("reference/tiny-gpt2").path,
      "--prompt", "hello",
    ])
    #expect(noTokenizer.status == 1 && noTokenizer.stderr.contains("--prompt-ids"), "\(noTokenizer.stderr)")
    let corrupt = try CLI.temporaryFolder().appendingPathComponent("bad.safetensors")
    try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]).write(to: corrupt)
    let bad = try CLI.run(["generate", "--model", corrupt.path, "--prompt-ids", "1"])
    #expect(bad.status == 1 && bad.stderr.hasPrefix("error: ") && bad.stderr.contains("bad.safetensors"), "\(bad.stderr)")
    for r in [missing, badIDs, noTokenizer, bad] { #expect(!r.stderr.contains("Fatal error")) }
  }
}
