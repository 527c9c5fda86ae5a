// {model}: parameter counts against GPT-2's formula, loading our files and HF folders (parameters
// compared with what was saved), train-and-cache (a second run reuses the files and shows the same
// outputs; a corrupt file is rebuilt, not trusted), option conflicts; and SHA-256 against FIPS 180-2.
import Foundation
import LessonModel
import MiniGPT
import TestSupport
import Testing
import Tokenizer

@testable import Lessons

@Suite struct ModelDirectiveTests {
  /// GPT-2's count: wte V·C + wpe T·C + per block 12C² + 13C (qkv 3C²+3C, proj C²+C, fc 4C²+4C,
  /// fc-proj 4C²+C, two layer norms 4C) + ln_f 2C; the LM head is tied to wte.
  static func formula(V: Int, T: Int, C: Int, L: Int) -> Int { V * C + T * C + L * (12 * C * C + 13 * C) + 2 * C }

  @Test func parameterCountAndTable() throws {
    let (session, runs) = try runKeepingSession(smallModel)
    let expected = Self.formula(V: 300, T: 32, C: 16, L: 2)
    #expect(runs[0].number("parameters") == Double(expected))
    #expect(runs[0].number("head-size") == 4)
    #expect(
      try session.model().config
        == GPTConfiguration(vocabSize: 300, contextLength: 32, embeddingSize: 16, layerCount: 2, headCount: 4))
    let table = try #require(runs[0].tables.first)
    // wte, wpe, the 12 tensors of h.0, one summary row for h.1, ln_f (2), total.
    #expect(table.rows.count == 2 + 12 + 1 + 2 + 1)
    #expect(table.rows[0] == ["wte.weight", "(300, 16)", "4,800", ValueFormat.percent(1).string(for: 4800.0 / Double(expected))])
    #expect(
      table.rows[4] == [
        "h.0.attn.c_attn.weight", "(48, 16)", "768", ValueFormat.percent(1).string(for: 768.0 / Double(expected)),
      ])
    #expect(table.rows[14][0] == "h.1.*" && table.rows[14][2] == ValueFormat.grouped(12 * 256 + 13 * 16))
    #expect(table.rows.last == ["total", "", ValueFormat.grouped(expected), "100.0%"])
  }

  @Test func presetsAndEveryLayer() throws {
    let (_, runs) = try runKeepingSession("```{model}\n:preset: micro\n:all-layers: true\n```\n")
    #expect(runs[0].number("parameters") == Double(Self.formula(V: 512, T: 64, C: 64, L: 2)))
    #expect(runs[0].tables[0].rows.count == 2 + 2 * 12 + 2 + 1)
    // Sizes on top of a preset.
    let (_, tiny) = try runKeepingSession("```{model}\n:preset: tiny\n:layers: 1\n```\n")
    #expect(tiny[0].number("parameters") == Double(Self.formula(V: 4096, T: 128, C: 128, L: 1)))
  }

  @Test func frontMatterDefaults() throws {
    let (_, runs) = try runKeepingSession("---\nmodel:\n  preset: micro\n  layers: 1\n---\n```{model}\n:width: 32\n```\n")
    #expect(runs[0].number("parameters") == Double(Self.formula(V: 512, T: 64, C: 32, L: 1)))
  }

  @Test func loadsOurFileWithTheTokenizerBesideIt() throws {
    let folder = temporaryFolder()
    let config = GPTConfiguration(vocabSize: 270, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
    let saved = try GPT(config: config, backend: CPUBackend(threads: 1), seed: 42)
    try saved.checkpoint().save(to: folder.appendingPathComponent("m.safetensors"))
    let tokenizer = try BPETokenizer.train(corpus: "ab ab ab\n", vocabularySize: 262)
    try tokenizer.save(to: folder.appendingPathComponent("m.tokenizer.json"))
    let lesson = try prepare("```{model}\n:path: m.safetensors\n:backend: reference\n```\n", folder: folder)
    let session = Session(
      lessonPath: "lesson.md", lessonDirectory: folder, cacheDirectory: folder.appendingPathComponent("cache"))
    for case .directive(let d) in lesson.steps { _ = try d.directive.run(session) }
    #expect(try session.model().parameterValues() == saved.parameterValues())
    #expect(try session.model().backend is ReferenceBackend)
    #expect(try session.tokenizer().encode("ab ab") == tokenizer.encode("ab ab"))
    #expect(session.modelOrigin == "m.safetensors")
  }

  @Test func withoutOptionsTheShippedModel() throws {
    // The shipped files live in models/, the parent of the cache folder.
    let models = temporaryFolder()
    let config = GPTConfiguration(vocabSize: 262, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
    let shipped = try GPT(config: config, backend: CPUBackend(threads: 1), seed: 11)
    try shipped.checkpoint().save(to: models.appendingPathComponent("mini_gpt.safetensors"))
    try BPETokenizer.train(corpus: "ab ab ab\n", vocabularySize: 262).save(
      to: models.appendingPathComponent("mini_gpt.tokenizer.json"))
    // A created model first, then {model} with no options goes back to the shipped one.
    let (session, runs) = try runKeepingSession(
      smallModel + "```{model}\n:backend: reference\n```\n",
      cache: models.appendingPathComponent("cache"))
    #expect(runs[1].number("parameters") == Double(Self.formula(V: 262, T: 8, C: 8, L: 1)))
    #expect(try session.model().parameterValues() == shipped.parameterValues())
    #expect(try session.model().backend is ReferenceBackend)
    #expect(try session.tokenizer().vocabularySize == 262)
    #expect(session.modelOrigin == "models/mini_gpt.safetensors")
  }

  @Test func loadsAHuggingFaceFolder() throws {
    let folder = temporaryFolder()
    let config = GPTConfiguration(vocabSize: 262, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
    let saved = try GPT(config: config, backend: CPUBackend(threads: 1), seed: 3)
    let hf = folder.appendingPathComponent("gpt2-mini")
    try saved.checkpoint().saveHuggingFaceFolder(to: hf)
    try BPETokenizer.train(corpus: "ab ab ab\n", vocabularySize: 262).save(to: hf.appendingPathComponent("tokenizer.json"))
    let lesson = try prepare("```{model}\n:path: gpt2-mini\n:expect: vocab = 262; tokenizer-vocab = 262\n```\n", folder: folder)
    let result = Interpreter().run(
      lesson, settings: RunSettings(backend: .cpu, cacheDirectory: folder.appendingPathComponent("cache")))
    #expect(result.failures.isEmpty, "\(result.failures.map(\.summary))")
  }

  @Test func aModelWithoutTokenizerIsAClearError() throws {
    let folder = temporaryFolder()
    let config = GPTConfiguration(vocabSize: 262, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
    try GPT(config: config, backend: CPUBackend(threads: 1), seed: 3).checkpoint().save(
      to: folder.appendingPathComponent("lone.safetensors"))
    let result = Interpreter().run(try prepare("```{model}\n:path: lone.safetensors\n```\n", folder: folder))
    #expect(
      result.failures.map(\.message) == [
        "{model} failed: no tokenizer found for lone.safetensors: put lone.tokenizer.json beside it, or name one with ':tokenizer:'"
      ])
  }

  @Test func conflictingOptionsAreFoundBeforeRunning() throws {
    let found = problems(
      "```{model}\n:path: m.safetensors\n:layers: 2\n```\n\n```{model}\n:width: 30\n:heads: 4\n```\n",
      files: ["m.safetensors": "x"])
    #expect(
      found.map(\.summary) == [
        "lesson.md:3:1: error: {model}: ':layers:' cannot be combined with ':path:' (a loaded model has its own configuration)",
        "lesson.md:8:1: error: {model}: the width (30) must be divisible by the number of heads (4)",
      ])
  }

  // MARK: Train and cache

  static let corpus = String(repeating: "o gato subiu no telhado. o rato desceu do telhado. o gato viu o rato.\n", count: 40)
  static let trainingLesson = """
    ```{model}
    :vocab: 280
    :context: 16
    :width: 16
    :layers: 1
    :heads: 2
    :seed: 1
    :train-on: corpus.txt
    :steps: 4
    :batch: 2
    :sequence: 8
    ```

    """

  func cacheLine(_ session: Session) -> String { session.measurements.first { $0.key == "cache" }?.value ?? "none" }

  @Test func trainsOnceThenReusesTheCacheAndRebuildsACorruptOne() throws {
    let cache = temporaryFolder().appendingPathComponent("cache")
    let files = ["corpus.txt": Self.corpus]
    let (first, firstRuns) = try runKeepingSession(Self.trainingLesson, files: files, cache: cache)
    #expect(cacheLine(first).hasPrefix("trained and stored as "))
    let stored = try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted()
    #expect(stored.count == 2 && stored[0].hasSuffix(".safetensors") && stored[1].hasSuffix(".tokenizer.json"))
    let losses = try #require(
      firstRuns[0].outputs.compactMap { if case .lineChart(let c) = $0 { return c } else { return nil } }.first)
    #expect(losses.series[0].points.count == 4)
    // The first loss of an untrained model is close to ln V (it guesses nearly uniformly).
    #expect(abs(losses.series[0].points[0].y - log(280.0)) < 0.1)

    let (second, secondRuns) = try runKeepingSession(Self.trainingLesson, files: files, cache: cache)
    #expect(cacheLine(second) == "reused " + stored[0])
    #expect(secondRuns[0].outputs == firstRuns[0].outputs)
    #expect(try second.model().parameterValues() == first.model().parameterValues())

    // Flip one byte near the end (inside the parameter data): rejected, trained again, same result.
    let modelFile = cache.appendingPathComponent(stored[0])
    var bytes = try Data(contentsOf: modelFile)
    bytes[bytes.count - 10] ^= 0x40
    try bytes.write(to: modelFile)
    let (third, thirdRuns) = try runKeepingSession(Self.trainingLesson, files: files, cache: cache)
    #expect(cacheLine(third) == "not used (\(stored[0]): parameters do not match their recorded hash); trained again")
    #expect(thirdRuns[0].outputs == firstRuns[0].outputs)

    // A truncated file is not trusted either; the rebuilt one is reused afterwards.
    try Data(bytes.prefix(100)).write(to: modelFile)
    let (fourth, _) = try runKeepingSession(Self.trainingLesson, files: files, cache: cache)
    #expect(cacheLine(fourth).hasPrefix("not used ("))
    let (fifth, _) = try runKeepingSession(Self.trainingLesson, files: files, cache: cache)
    #expect(cacheLine(fifth) == "reused " + stored[0])
  }

  @Test func theKeyFollowsWhatDeterminesTheModel() throws {
    let cache = temporaryFolder().appendingPathComponent("cache")
    _ = try runKeepingSession(Self.trainingLesson, files: ["corpus.txt": Self.corpus], cache: cache)
    _ = try runKeepingSession(
      Self.trainingLesson.replacingOccurrences(of: ":steps: 4", with: ":steps: 3"),
      files: ["corpus.txt": Self.corpus], cache: cache)
    _ = try runKeepingSession(Self.trainingLesson, files: ["corpus.txt": Self.corpus + "x"], cache: cache)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 6)
    #expect(ModelCache.key("k", [("a", "1")]) == ModelCache.key("k", [("a", "1")]))
    #expect(ModelCache.key("k", [("a", "1")]) != ModelCache.key("k", [("a", "2")]))
  }

  @Test func explanationsInPortuguese() throws {
    let (_, runs) = try runKeepingSession(smallModel, language: .brazilianPortuguese)
    #expect(
      runs[0].explanations.last?.hasPrefix(
        "O modelo tem \(ValueFormat.grouped(Self.formula(V: 300, T: 32, C: 16, L: 2))) parâmetros.") == true)
  }
}

@Suite struct SHA256Tests {
  // FIPS 180-2 appendix B examples, plus a million 'a's split across uneven updates.
  @Test func standardExamples() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var hash = SHA256()
    var remaining = 1_000_000
    var size = 1
    while remaining > 0 {
      let n = min(size, remaining)
      hash.update([UInt8](repeating: 0x61, count: n))
      remaining -= n
      size = size * 3 % 1000 + 1
    }
    #expect(hash.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}
