// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// Every parameter tensor of GPT-2, by its Hugging Face name, with its shape and offset in one flat
// buffer (llm.c's ParameterTensors). Gradients and AdamW's m and v use the same layout.
// Linear weights are kept as (out, in), like nn.Linear; HF's Conv1D files store (in, out) and the
// checkpoint code transposes them (IO/Checkpoint.swift).

public struct ParameterLayout: Sendable {
  public struct Entry: Hashable, Sendable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
    /// AdamW decays 2-D weights only (matrices and embeddings), not biases or LayerNorm gains.
    public var isDecayed: Bool { shape.count == 2 }
  }

  public let entries: [Entry]
  public let totalCount: Int
  private let index: [String: Int]

  public init(_ config: GPTConfiguration) {
    let V = config.vocabSize, maxT = config.contextLength, C = config.embeddingSize
    var list: [(String, [Int])] = [("wte.weight", [V, C]), ("wpe.weight", [maxT, C])]
    for l in 0..<config.layerCount {
      let h = "h.\(l)."
      list += [
        (h + "ln_1.weight", [C]), (h + "ln_1.bias", [C]),
        (h + "attn.c_attn.weight", [3 * C, C]), (h + "attn.c_attn.bias", [3 * C]),
        (h + "attn.c_proj.weight", [C, C]), (h + "attn.c_proj.bias", [C]),
        (h + "ln_2.weight", [C]), (h + "ln_2.bias", [C]),
        (h + "mlp.c_fc.weight", [4 * C, C]), (h + "mlp.c_fc.bias", [4 * C]),
        (h + "mlp.c_proj.weight", [C, 4 * C]), (h + "mlp.c_proj.bias", [C]),
      ]
    }
    list += [("ln_f.weight", [C]), ("ln_f.bias", [C])]
    var offset = 0
    var entries: [Entry] = []
    for (name, shape) in list {
      entries.append(Entry(name: name, shape: shape, offset: offset))
      offset += shape.reduce(1, *)
    }
    self.entries = entries
    self.totalCount = offset
    self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
  }

  public subscript(name: String) -> Entry? { index[name].map { entries[$0] } }

  /// Names of the Linear weights HF stores transposed (Conv1D, (in, out)).
  public static func isConv1DWeight(_ name: String) -> Bool {
    name.hasSuffix("attn.c_attn.weight") || name.hasSuffix("attn.c_proj.weight")
      || name.hasSuffix("mlp.c_fc.weight") || name.hasSuffix("mlp.c_proj.weight")
  }
}
