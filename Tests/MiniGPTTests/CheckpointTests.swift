// Checkpoint: the Hugging Face folder written by transformers' save_pretrained loads into the
// engine's layout, checked against tensors PyTorch transposed itself (reference.safetensors,
// "linear.<name>"); our own format round-trips with optimizer state; bad configs and missing or
// misshapen tensors give a typed error naming the file. Fixtures: Tests/Fixtures/make_reference.py.

import Foundation
import MiniGPT
import Testing

@Suite struct CheckpointTests {
  let folder = referenceDirectory.appendingPathComponent("tiny-gpt2")
  let reference = referenceDirectory.appendingPathComponent("reference.safetensors")

  /// The configuration as make_reference.py recorded it in reference.json.
  func recordedConfiguration() throws -> GPTConfiguration {
    let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("reference.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let c = try #require(root["config"] as? [String: Any])
    func int(_ key: String) throws -> Int { try #require(c[key] as? Int) }
    return GPTConfiguration(
      vocabSize: try int("vocab_size"), contextLength: try int("n_positions"),
      embeddingSize: try int("n_embd"), layerCount: try int("n_layer"), headCount: try int("n_head"))
  }

  func slice(_ checkpoint: Checkpoint, _ entry: ParameterLayout.Entry) -> [Float] {
    Array(checkpoint.parameters[entry.offset..<(entry.offset + entry.count)])
  }

  @Test func loadsTheHuggingFaceFolderIntoTheEngineLayout() throws {
    let checkpoint = try Checkpoint.load(from: folder)
    #expect(checkpoint.config == (try recordedConfiguration()))
    #expect(checkpoint.optimizer == nil)
    let layout = ParameterLayout(checkpoint.config)
    #expect(checkpoint.parameters.count == layout.totalCount)
    let hf = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    let torch = try SafeTensorsFile(contentsOf: reference)
    for entry in layout.entries {
      // Every parameter has a gradient in HF layout: its shape is the internal one, reversed for Conv1D.
      let gradientShape = try #require(torch["grad." + entry.name]?.shape)
      #expect(
        gradientShape == (ParameterLayout.isConv1DWeight(entry.name) ? entry.shape.reversed() : entry.shape), "\(entry.name)")
      if ParameterLayout.isConv1DWeight(entry.name) {
        // PyTorch's own .t().contiguous() of the HF weight: the (out, in) layout we must hold.
        #expect(torch["linear." + entry.name]?.shape == entry.shape)
        #expect(slice(checkpoint, entry) == (try torch.floats("linear." + entry.name)), "\(entry.name)")
      } else {
        #expect(slice(checkpoint, entry) == (try hf.floats("transformer." + entry.name)), "\(entry.name)")
      }
    }
  }

  /// Spot values, indexed by hand: internal c_attn (3C, C) element (o, i) is HF (C, 3C) element (i, o).
  @Test func transposesConv1DWeightsElementByElement() throws {
    let checkpoint = try Checkpoint.load(from: folder)
    let C = checkpoint.config.embeddingSize
    let hf = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    let stored = try hf.floats("transformer.h.1.attn.c_attn.weight")  // (C, 3C) row-major
    let entry = try #require(ParameterLayout(checkpoint.config)["h.1.attn.c_attn.weight"])
    for (o, i) in [(0, 0), (0, 1), (1, 0), (3 * C - 1, 0), (2 * C + 5, C - 1), (3 * C - 1, C - 1)] {
      #expect(checkpoint.parameters[entry.offset + o * C + i] == stored[i * 3 * C + o], "(\(o), \(i))")
    }
    let fc = try hf.floats("transformer.h.0.mlp.c_fc.weight")  // (C, 4C)
    let fcEntry = try #require(ParameterLayout(checkpoint.config)["h.0.mlp.c_fc.weight"])  // (4C, C)
    #expect(checkpoint.parameters[fcEntry.offset + 7 * C + 2] == fc[2 * 4 * C + 7])
  }

  @Test func loadsABareModelFileWithItsConfigBeside() throws {
    let viaFolder = try Checkpoint.load(from: folder)
    let viaFile = try Checkpoint.load(from: folder.appendingPathComponent("model.safetensors"))
    #expect(viaFile.parameters == viaFolder.parameters)
    #expect(viaFile.config == viaFolder.config)
  }

  @Test func ourFormatRoundTripsParametersOptimizerAndState() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var checkpoint = try Checkpoint.load(from: folder)
    var rng = SplitMix64(seed: 7)
    let n = checkpoint.parameters.count
    checkpoint.optimizer = .init(m: (0..<n).map { _ in rng.nextFloat() - 0.5 }, v: (0..<n).map { _ in rng.nextFloat() }, step: 7)
    checkpoint.trainingState = ["rng": "12345", "data.position": "42", "tokenizer": "models/tok.json"]
    let url = dir.appendingPathComponent("ckpt.safetensors")
    try checkpoint.save(to: url)

    let loaded = try Checkpoint.load(from: url)
    #expect(loaded.config == checkpoint.config)
    #expect(loaded.parameters == checkpoint.parameters)
    #expect(loaded.optimizer == checkpoint.optimizer)
    #expect(loaded.trainingState == checkpoint.trainingState)

    // On disk: HF names and HF layout, identical to what save_pretrained wrote (minus the prefix).
    let ours = try SafeTensorsFile(contentsOf: url)
    let hf = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    #expect(ours.metadata["format"] == "pt")
    #expect(ours.metadata[Checkpoint.formatKey] == Checkpoint.formatVersion)
    for t in hf.tensors {
      let name = String(t.name.dropFirst("transformer.".count))
      #expect(ours[name]?.shape == t.shape, "\(name)")
      #expect(try ours.floats(name) == hf.floats(t.name), "\(name)")
      #expect(ours["optimizer.m." + name]?.shape == t.shape)
    }
    // The moments follow their parameters' layout: m of c_attn is transposed like the weight.
    let entry = try #require(ParameterLayout(checkpoint.config)["h.0.attn.c_attn.weight"])
    let C = checkpoint.config.embeddingSize
    #expect(
      try ours.floats("optimizer.m.h.0.attn.c_attn.weight")[1 * 3 * C + 0] == checkpoint.optimizer!.m[entry.offset + 0 * C + 1])
  }

  @Test func savesAFolderThatLoadsAgain() throws {
    let dir = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checkpoint = try Checkpoint.load(from: folder)
    let out = dir.appendingPathComponent("hf-out")
    try checkpoint.saveHuggingFaceFolder(to: out)
    // Read back through config.json (not our metadata) by loading the file as a bare HF file.
    let config = try GPTConfiguration(huggingFaceConfigAt: out.appendingPathComponent("config.json"))
    #expect(config == checkpoint.config)
    let loaded = try Checkpoint.load(from: out)
    #expect(loaded.parameters == checkpoint.parameters)
  }
}
