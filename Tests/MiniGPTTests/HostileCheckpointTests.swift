// Bad checkpoints and configurations: each variant of the transformers-written tiny-gpt2 folder
// (a tensor dropped, reshaped, renamed, retyped; config.json with wrong types or absurd sizes)
// must give EngineError.badFile naming the right file; the legal HF variants (tied lm_head,
// attention-mask buffers, BF16 weights, no "transformer." prefix) must load.

import Foundation
import MiniGPT
import Testing

@Suite struct HostileCheckpointTests {
  typealias Named = (name: String, shape: [Int], values: [Float])
  let source = referenceDirectory.appendingPathComponent("tiny-gpt2")

  func originalTensors() throws -> [Named] {
    let file = try SafeTensorsFile(contentsOf: source.appendingPathComponent("model.safetensors"))
    return try file.tensors.map { ($0.name, $0.shape, try file.floats($0.name)) }
  }

  func originalConfig() throws -> String {
    try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
  }

  /// Writes model.safetensors (+ config.json unless nil) into a fresh folder and returns it.
  func makeFolder(
    _ dir: URL, tensors: [Named], config: String?, metadata: [String: String] = ["format": "pt"],
    raw: [(String, SafeTensorsDType, [Int], [UInt8])] = []
  ) throws -> URL {
    let folder = dir.appendingPathComponent("model-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var writer = SafeTensorsWriter(metadata: metadata)
    for t in tensors { writer.append(t.name, shape: t.shape, floats: t.values) }
    for (name, dtype, shape, bytes) in raw { writer.append(name, dtype: dtype, shape: shape, bytes: bytes) }
    try writer.write(to: folder.appendingPathComponent("model.safetensors"))
    if let config { try config.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8) }
    return folder
  }

  /// Loading `folder` must fail naming `file` ("model.safetensors" or "config.json") with `fragment`.
  func expectLoadFails(_ folder: URL, file: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    expectBadFile(path: folder.appendingPathComponent(file).path, containing: fragment, sourceLocation: sourceLocation) {
      _ = try Checkpoint.load(from: folder)
    }
  }

  @Test func missingMisshapenUnexpectedOrDuplicatedTensors() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tensors = try originalTensors(), config = try originalConfig()

    let missing = try makeFolder(dir, tensors: tensors.filter { $0.name != "transformer.h.1.mlp.c_fc.bias" }, config: config)
    expectLoadFails(missing, file: "model.safetensors", "missing tensor \"h.1.mlp.c_fc.bias\"")

    // c_attn saved in nn.Linear layout (3C, C) instead of Conv1D (C, 3C).
    let linear = tensors.map { $0.name == "transformer.h.0.attn.c_attn.weight" ? ($0.name, [108, 36], $0.values) : $0 }
    expectLoadFails(
      try makeFolder(dir, tensors: linear, config: config), file: "model.safetensors",
      "tensor \"h.0.attn.c_attn.weight\" has shape [108, 36]")

    let bigger = config.replacingOccurrences(of: "\"n_positions\": 32", with: "\"n_positions\": 64")
    expectLoadFails(
      try makeFolder(dir, tensors: tensors, config: bigger), file: "model.safetensors",
      "tensor \"wpe.weight\" has shape [32, 36]")
    let deeper = config.replacingOccurrences(of: "\"n_layer\": 2", with: "\"n_layer\": 1")
    expectLoadFails(
      try makeFolder(dir, tensors: tensors, config: deeper), file: "model.safetensors",
      "unexpected tensors \"transformer.h.1.")

    let doubled = tensors + [("wte.weight", [67, 36], tensors.first { $0.name == "transformer.wte.weight" }!.values)]
    expectLoadFails(try makeFolder(dir, tensors: doubled, config: config), file: "model.safetensors", "appears twice")

    let asIntegers = tensors.filter { $0.name != "transformer.ln_f.bias" }
    expectLoadFails(
      try makeFolder(
        dir, tensors: asIntegers, config: config, raw: [("transformer.ln_f.bias", .i32, [36], [UInt8](repeating: 0, count: 144))]),
      file: "model.safetensors", "dtype I32; parameters must be F32")
  }

  @Test func untiedLMHeadIsRefusedButATiedOneLoads() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tensors = try originalTensors(), config = try originalConfig()
    let wte = tensors.first { $0.name == "transformer.wte.weight" }!
    let tied = try makeFolder(dir, tensors: tensors + [("lm_head.weight", wte.shape, wte.values)], config: config)
    #expect(try Checkpoint.load(from: tied).parameters == Checkpoint.load(from: source).parameters)
    var other = wte.values
    other[100] += 1
    expectLoadFails(
      try makeFolder(dir, tensors: tensors + [("lm_head.weight", wte.shape, other)], config: config),
      file: "model.safetensors", "lm_head.weight differs from wte.weight")
  }

  /// Older GPT-2 files: no "transformer." prefix, and causal-mask buffers stored as tensors.
  @Test func unprefixedNamesAndMaskBuffersLoad() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tensors = try originalTensors().map { (String($0.name.dropFirst("transformer.".count)), $0.shape, $0.values) }
    let masks: [Named] = [
      ("h.0.attn.bias", [1, 1, 32, 32], [Float](repeating: 1, count: 1024)),
      ("h.1.attn.masked_bias", [], [-1e4]),
    ]
    let folder = try makeFolder(dir, tensors: tensors + masks, config: try originalConfig())
    #expect(try Checkpoint.load(from: folder).parameters == Checkpoint.load(from: source).parameters)
  }

  /// BF16 weights convert exactly: a BF16 is a float with the low 16 bits cleared.
  @Test func bfloat16WeightsLoad() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tensors = try originalTensors()
    let raw = tensors.map { t in
      (
        t.name, SafeTensorsDType.bf16, t.shape,
        t.values.flatMap { v -> [UInt8] in
          let top = UInt16(v.bitPattern >> 16)
          return [UInt8(top & 0xFF), UInt8(top >> 8)]
        }
      )
    }
    let folder = try makeFolder(dir, tensors: [], config: try originalConfig(), raw: raw)
    let full = try Checkpoint.load(from: source).parameters
    #expect(try Checkpoint.load(from: folder).parameters == full.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) })
  }

  @Test func configWithWrongTypesOrAbsurdSizes() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tensors = try originalTensors(), config = try originalConfig()
    let cases: [(String, String, String)] = [
      ("\"n_embd\": 36", "\"n_embd\": \"36\"", "\"n_embd\" must be an integer, found the string \"36\""),
      ("\"n_layer\": 2", "\"n_layer\": 2.0", "\"n_layer\" must be an integer, found the number 2.0"),
      ("\"n_head\": 4", "\"n_head\": null", "\"n_head\" must be an integer, found null"),
      ("\"vocab_size\": 67", "\"vocab_sizes\": 67", "missing \"vocab_size\""),
      ("\"n_embd\": 36", "\"n_embd\": 1073741824", "n_embd = 1073741824 is absurdly large"),
      ("\"n_embd\": 36", "\"n_embd\": 99999999999999999999", "\"n_embd\" must be an integer"),
      ("\"n_layer\": 2", "\"n_layer\": 0", "n_layer must be positive"),
      ("\"n_layer\": 2", "\"n_layer\": -3", "n_layer must be positive"),
      ("\"n_head\": 4", "\"n_head\": 5", "must be divisible by n_head"),
      ("\"n_embd\": 36", "\"n_embd\": 16384", "refusing before allocating"),
      (
        "\"activation_function\": \"gelu_new\"", "\"activation_function\": \"relu\"",
        "\"activation_function\" is the string \"relu\""
      ),
      ("\"layer_norm_epsilon\": 1e-05", "\"layer_norm_epsilon\": 1e-06", "\"layer_norm_epsilon\" is the number 1e-06"),
      ("\"n_inner\": null", "\"n_inner\": 100", "\"n_inner\" is the number 100"),
      ("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false", "\"tie_word_embeddings\" is false"),
      ("\"model_type\": \"gpt2\"", "\"model_type\": \"llama\"", "only \"gpt2\" is supported"),
      ("{", "{\"n_embd\": 36,", "duplicate key \"n_embd\""),
      ("}", "", "not valid JSON"),
    ]
    for (original, replacement, fragment) in cases {
      #expect(config.contains(original), "fixture lacks \(original)")
      let folder = try makeFolder(dir, tensors: tensors, config: config.replacingOccurrences(of: original, with: replacement))
      expectLoadFails(folder, file: "config.json", fragment)
    }
    let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    expectLoadFails(try makeFolder(dir, tensors: tensors, config: nested), file: "config.json", "nested deeper than 64")
    expectLoadFails(try makeFolder(dir, tensors: tensors, config: "[1]"), file: "config.json", "must be a JSON object")
  }

  @Test func foldersAndFilesWithoutWhatTheyNeed() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let noConfig = try makeFolder(dir, tensors: try originalTensors(), config: nil)
    expectLoadFails(noConfig, file: "model.safetensors", "no configuration")
    expectBadFile(path: dir.path, containing: "has no model.safetensors") { _ = try Checkpoint.load(from: dir) }
    try Data("{}".utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
    expectBadFile(path: dir.path, containing: "sharded checkpoints") { _ = try Checkpoint.load(from: dir) }
  }

  @Test func ourFormatWithBadMetadataOrMissingOptimizerState() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var checkpoint = try Checkpoint.load(from: source)
    let n = checkpoint.parameters.count
    checkpoint.optimizer = .init(m: [Float](repeating: 0.5, count: n), v: [Float](repeating: 0.25, count: n), step: 3)
    let url = dir.appendingPathComponent("ours.safetensors")
    try checkpoint.save(to: url)
    let file = try SafeTensorsFile(contentsOf: url)
    let all: [Named] = try file.tensors.map { ($0.name, $0.shape, try file.floats($0.name)) }

    func variant(_ tensors: [Named], _ change: (inout [String: String]) -> Void) throws -> URL {
      var metadata = file.metadata
      change(&metadata)
      let folder = try makeFolder(dir, tensors: tensors, config: nil, metadata: metadata)
      return folder.appendingPathComponent("model.safetensors")
    }
    func expectFails(_ url: URL, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
      expectBadFile(path: url.path, containing: fragment, sourceLocation: sourceLocation) { _ = try Checkpoint.load(from: url) }
    }
    expectFails(try variant(all) { $0[Checkpoint.formatKey] = "minigpt-lessons/99" }, "this build reads \"minigpt-lessons/1\"")
    expectFails(try variant(all) { $0["minigpt.config"] = nil }, "__metadata__ lacks \"minigpt.config\"")
    expectFails(try variant(all) { $0["minigpt.optimizer.step"] = "three" }, "not a step count")
    expectFails(try variant(all) { $0["minigpt.optimizer.step"] = nil }, "is optimizer state but __metadata__ has no")
    expectFails(
      try variant(all.filter { $0.name != "optimizer.v.wpe.weight" }) { _ in }, "missing tensor \"optimizer.v.wpe.weight\"")
    let badConfig = try variant(all) { $0["minigpt.config"] = "{\"n_embd\": 36}" }
    expectBadFile(path: badConfig.path + " (__metadata__ minigpt.config)", containing: "missing \"vocab_size\"") {
      _ = try Checkpoint.load(from: badConfig)
    }
  }
}
