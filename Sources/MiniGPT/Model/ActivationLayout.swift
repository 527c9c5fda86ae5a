// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// Every intermediate of a forward pass, by name, with its shape and offset in one flat buffer
// (llm.c's ActivationTensors), sized for a batch of B sequences of T tokens. The lessons read
// these by name ("h.0.attn.probs"); nothing is recomputed on the side.
// The lean mode (for `train` and `bench`) keeps what backward needs and no more: every layer's
// attention scores and GELU output share one buffer (backward reads neither score; it recomputes
// the GELU of a layer from its stored input, as llm.c's CUDA trainer does), so those names are
// not readable in lean mode.

public struct ActivationLayout: Sendable {
  public struct Entry: Hashable, Sendable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
  }

  public let B: Int
  public let T: Int
  /// Lean mode: per-layer scores and GELU outputs share one buffer each (see the header).
  public let isLean: Bool
  public let entries: [Entry]
  public let totalCount: Int
  private let index: [String: Int]

  public init(_ config: GPTConfiguration, B: Int, T: Int, lean: Bool = false) {
    let C = config.embeddingSize, NH = config.headCount, V = config.vocabSize
    var list: [(String, [Int])] = [("encoded", [B, T, C])]
    for l in 0..<config.layerCount {
      let h = "h.\(l)."
      list += [
        (h + "ln_1", [B, T, C]), (h + "ln_1.mean", [B, T]), (h + "ln_1.rstd", [B, T]),
        (h + "attn.qkv", [B, T, 3 * C]),            // q | k | v, heads of HS channels each
        (h + "attn.scores", [B, NH, T, T]),          // q·kᵀ/√HS, future = -∞
        (h + "attn.probs", [B, NH, T, T]),           // softmax of the scores
        (h + "attn.out", [B, T, C]),                 // probs·v, heads concatenated
        (h + "attn.proj", [B, T, C]),                // c_proj of attn.out
        (h + "residual_attn", [B, T, C]),            // x + attn
        (h + "ln_2", [B, T, C]), (h + "ln_2.mean", [B, T]), (h + "ln_2.rstd", [B, T]),
        (h + "mlp.hidden", [B, T, 4 * C]),           // c_fc, before GELU
        (h + "mlp.gelu", [B, T, 4 * C]),
        (h + "mlp.proj", [B, T, C]),
        (h + "residual_mlp", [B, T, C]),             // the residual stream after block l
      ]
    }
    list += [
      ("ln_f", [B, T, C]), ("ln_f.mean", [B, T]), ("ln_f.rstd", [B, T]),
      ("logits", [B, T, V]), ("probs", [B, T, V]), ("losses", [B, T]),
    ]
    var offset = 0
    var entries: [Entry] = []
    var sharedOffsets: [String: Int] = [:]
    for (name, shape) in list {
      if lean, let suffix = Self.leanSharedSuffixes.first(where: { name.hasSuffix($0) }) {
        if let shared = sharedOffsets[suffix] {
          entries.append(Entry(name: name, shape: shape, offset: shared))
          continue
        }
        sharedOffsets[suffix] = offset
      }
      entries.append(Entry(name: name, shape: shape, offset: offset))
      offset += shape.reduce(1, *)
    }
    self.B = B
    self.T = T
    self.isLean = lean
    self.entries = entries
    self.totalCount = offset
    self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
  }

  public subscript(name: String) -> Entry? { index[name].map { entries[$0] } }

  /// Floats the layout holds for (B, T), in Double so that absurd sizes cannot overflow: memory
  /// checks call this before anything is allocated. Equal to `totalCount` (a test checks it).
  public static func floatCount(_ config: GPTConfiguration, B: Int, T: Int, lean: Bool) -> Double {
    let C = Double(config.embeddingSize), NH = Double(config.headCount), V = Double(config.vocabSize)
    let L = Double(config.layerCount), positions = Double(B) * Double(T), scores = positions * NH * Double(T)
    // Per layer and position: ln_1, qkv, out, proj, residual_attn, ln_2, hidden, gelu, proj,
    // residual_mlp = 18C, plus 2 means and 2 rstds; then scores and probs (NH·T each).
    let perLayer = lean ? positions * (14 * C + 4) + scores : positions * (18 * C + 4) + 2 * scores
    let shared = lean && config.layerCount > 0 ? positions * 4 * C + scores : 0
    // encoded, ln_f with its mean and rstd, logits, probs, losses.
    return L * perLayer + shared + positions * (2 * C + 2 + 2 * V + 1)
  }

  /// Activations that lean mode keeps in one buffer for all layers.
  static let leanSharedSuffixes = [".attn.scores", ".mlp.gelu"]

  /// Whether `name` holds its own values (false for the shared buffers of lean mode).
  public func isRetained(_ name: String) -> Bool {
    !(isLean && Self.leanSharedSuffixes.contains { name.hasSuffix($0) })
  }
}
