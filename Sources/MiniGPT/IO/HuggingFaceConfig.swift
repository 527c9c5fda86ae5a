// Reading and writing Hugging Face GPT-2 `config.json` (transformers' GPT2Config).
// Only GPT-2 exactly as this engine computes it is accepted: tanh GELU, LayerNorm eps 1e-5, a 4×
// MLP, tied LM head, attention scaled by 1/√head_size. Anything else is refused with the key
// named, rather than loaded and silently computed differently.

import Foundation

extension GPTConfiguration {
  /// config.json files larger than this are not configurations.
  public static let maxConfigFileBytes = 10_000_000

  /// Reads a config.json; `path` names the file in errors. Validates before returning.
  public init(huggingFaceConfigAt url: URL) throws {
    let path = url.path
    let size: Int
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
        throw EngineError.badFile(path: path, problem: "not a regular file")
      }
      size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    } catch let e as EngineError {
      throw e
    } catch {
      throw EngineError.badFile(path: path, problem: "cannot read: \(error.localizedDescription)")
    }
    guard size <= Self.maxConfigFileBytes else {
      throw EngineError.badFile(path: path, problem: "\(size) bytes is far too large for a config.json")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EngineError.badFile(path: path, problem: "cannot read the file")
    }
    try self.init(huggingFaceConfigJSON: data, path: path)
  }

  /// Parses config.json text; `path` (file, or file + metadata key) names the source in errors.
  public init(huggingFaceConfigJSON data: Data, path: String) throws {
    func bad(_ problem: String) -> EngineError { .badFile(path: path, problem: problem) }
    let root: JSONValue
    do {
      root = try data.withUnsafeBytes { try JSONReader.parse($0, maxDepth: 64) }
    } catch let e as JSONSyntaxError {
      throw bad("not valid JSON: \(e)")
    }
    guard case .object = root else { throw bad("the configuration must be a JSON object, found \(root.kind)") }

    func integer(_ key: String, fallback: String? = nil) throws -> Int {
      guard let value = root[key] ?? fallback.flatMap({ root[$0] }) else { throw bad("missing \"\(key)\"") }
      guard case .number(let text) = value, let n = Int(text) else {
        throw bad("\"\(key)\" must be an integer, found \(value.kind)")
      }
      return n
    }
    self.init(
      vocabSize: try integer("vocab_size"), contextLength: try integer("n_positions", fallback: "n_ctx"),
      embeddingSize: try integer("n_embd"), layerCount: try integer("n_layer"), headCount: try integer("n_head"))
    do {
      try validate()
    } catch let EngineError.invalidConfiguration(why) {
      throw bad("invalid configuration: \(why)")
    }

    // Keys that would change the arithmetic: refuse rather than compute something else.
    if let value = root["model_type"], value != .string("gpt2") {
      throw bad("\"model_type\" is \(value.kind); only \"gpt2\" is supported")
    }
    if let value = root["activation_function"], value != .string("gelu_new"), value != .string("gelu_pytorch_tanh") {
      throw bad("\"activation_function\" is \(value.kind); this engine implements GPT-2's tanh GELU (\"gelu_new\")")
    }
    if let value = root["layer_norm_epsilon"] {
      guard case .number(let text) = value, let eps = Double(text), abs(eps - 1e-5) <= 1e-12 else {
        throw bad("\"layer_norm_epsilon\" is \(value.kind); this engine uses 1e-05")
      }
    }
    if let value = root["n_inner"], value != .null {
      guard case .number(let text) = value, Int(text) == 4 * embeddingSize else {
        throw bad("\"n_inner\" is \(value.kind); this engine's MLP is 4 × n_embd = \(4 * embeddingSize)")
      }
    }
    let required: [(String, Bool)] = [
      ("tie_word_embeddings", true), ("scale_attn_weights", true),
      ("scale_attn_by_inverse_layer_idx", false), ("add_cross_attention", false),
    ]
    for (key, expected) in required {
      if let value = root[key], value != .bool(expected) {
        throw bad("\"\(key)\" is \(value.kind); only \(expected) is supported")
      }
    }
  }

  /// A config.json that `transformers` loads as GPT2LMHeadModel with this engine's arithmetic.
  public func huggingFaceConfigJSON() -> String {
    // GPT-2's <|endoftext|> is 50256; a smaller vocabulary has no known end token.
    let endOfText = vocabSize > 50256 ? "50256" : "null"
    return """
      {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.0,
        "bos_token_id": \(endOfText),
        "embd_pdrop": 0.0,
        "eos_token_id": \(endOfText),
        "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2",
        "n_ctx": \(contextLength),
        "n_embd": \(embeddingSize),
        "n_head": \(headCount),
        "n_inner": null,
        "n_layer": \(layerCount),
        "n_positions": \(contextLength),
        "resid_pdrop": 0.0,
        "tie_word_embeddings": true,
        "vocab_size": \(vocabSize)
      }

      """
  }
}
