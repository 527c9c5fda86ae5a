// GPT-2 hyper-parameters (Radford et al. 2019; Hugging Face GPT2Config) and the presets of
// ../shared/bench/README.md. JSON keys follow Hugging Face's config.json.

public struct GPTConfiguration: Codable, Hashable, Sendable {
  public var vocabSize: Int
  /// Maximum sequence length (`n_positions`), the rows of the position embedding.
  public var contextLength: Int
  public var embeddingSize: Int
  public var layerCount: Int
  public var headCount: Int

  public init(vocabSize: Int, contextLength: Int, embeddingSize: Int, layerCount: Int, headCount: Int) {
    self.vocabSize = vocabSize
    self.contextLength = contextLength
    self.embeddingSize = embeddingSize
    self.layerCount = layerCount
    self.headCount = headCount
  }

  enum CodingKeys: String, CodingKey {
    case vocabSize = "vocab_size"
    case contextLength = "n_positions"
    case embeddingSize = "n_embd"
    case layerCount = "n_layer"
    case headCount = "n_head"
  }

  public var headSize: Int { embeddingSize / headCount }

  /// Total parameters (the LM head is tied to wte and not counted twice).
  public var parameterCount: Int { ParameterLayout(self).totalCount }

  /// Checks the numbers make a model: positive sizes, heads dividing the width, and a
  /// parameter count that fits in memory. Call before allocating anything.
  public func validate(maxParameters: Int = 2_000_000_000) throws {
    func bad(_ why: String) -> EngineError { .invalidConfiguration(why) }
    for (name, value) in [
      ("vocab_size", vocabSize), ("n_positions", contextLength), ("n_embd", embeddingSize),
      ("n_layer", layerCount), ("n_head", headCount),
    ] {
      guard value > 0 else { throw bad("\(name) must be positive, got \(value)") }
      guard value <= 1 << 24 else { throw bad("\(name) = \(value) is absurdly large") }
    }
    guard embeddingSize % headCount == 0 else {
      throw bad("n_embd (\(embeddingSize)) must be divisible by n_head (\(headCount))")
    }
    // Computed in Double so absurd sizes cannot overflow Int before the check.
    let C = Double(embeddingSize), L = Double(layerCount)
    let estimate = Double(vocabSize) * C + Double(contextLength) * C + L * 12 * C * C + L * 13 * C + 2 * C
    guard estimate <= Double(maxParameters) else {
      throw bad("\(Int(estimate)) parameters is more than this build allows (\(maxParameters)); refusing before allocating")
    }
  }

  public static let tiny = GPTConfiguration(vocabSize: 4096, contextLength: 128, embeddingSize: 128, layerCount: 4, headCount: 4)
  public static let small = GPTConfiguration(vocabSize: 8192, contextLength: 256, embeddingSize: 256, layerCount: 6, headCount: 8)
  public static let gpt2 = GPTConfiguration(
    vocabSize: 50257, contextLength: 1024, embeddingSize: 768, layerCount: 12, headCount: 12)

  public static let presets: [String: GPTConfiguration] = ["tiny": .tiny, "small": .small, "gpt2": .gpt2]
}
