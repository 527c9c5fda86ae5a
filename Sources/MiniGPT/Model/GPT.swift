// GPT-2 (Radford et al. 2019) over the backend contract, after llm.c's train_gpt2.c: parameters,
// their gradients and AdamW's moments each live in one flat tensor laid out by ParameterLayout;
// activations in one flat tensor laid out by ActivationLayout. Everything is readable by name.

public final class GPT {
  public let config: GPTConfiguration
  public let backend: any Backend
  public let layout: ParameterLayout
  /// All parameters, flat, in `layout` order.
  public let parameters: Tensor
  /// All parameter gradients (allocated at the first backward pass).
  public internal(set) var gradients: Tensor?
  /// AdamW's first and second moments (allocated at the first step).
  public private(set) var adamM: Tensor?
  public private(set) var adamV: Tensor?
  /// Optimizer steps taken so far (AdamW's t).
  public internal(set) var step: Int = 0

  // Forward state, sized for the last (B, T).
  var activations: ActivationStore?
  var backwardScratch: BackwardScratch?
  var decodeStore: DecodeStore?
  var lastTokens: [Int32] = []
  var lastTargets: [Int32]?
  /// Lean activations for training (see ActivationLayout); full ones, every intermediate by
  /// name, for the lessons. Changing it drops the current activations.
  public var leanActivations = false {
    didSet { if leanActivations != oldValue { activations = nil; backwardScratch = nil } }
  }
  /// In lean mode, backward writes the logits' gradient over the logits.
  var logitsConsumed = false
  /// Mean loss of the last forward pass with targets.
  public internal(set) var lastLoss: Float?

  /// A freshly initialised model, nanoGPT's scheme: N(0, 0.02) weights and embeddings,
  /// residual projections N(0, 0.02/√(2L)), zero biases, unit LayerNorm gains.
  public convenience init(config: GPTConfiguration, backend: any Backend, seed: UInt64) throws {
    try config.validate()
    let layout = ParameterLayout(config)
    var rng = SplitMix64(seed: seed)
    var values = [Float](repeating: 0, count: layout.totalCount)
    let residualStd = 0.02 / Float(2 * config.layerCount).squareRoot()
    for entry in layout.entries {
      let name = entry.name
      if name.hasSuffix("ln_1.weight") || name.hasSuffix("ln_2.weight") || name == "ln_f.weight" {
        for i in 0..<entry.count { values[entry.offset + i] = 1 }
      } else if entry.shape.count == 2 {
        let std: Float = name.hasSuffix("c_proj.weight") ? residualStd : 0.02
        for i in 0..<entry.count { values[entry.offset + i] = std * rng.nextNormal() }
      }
    }
    try self.init(config: config, backend: backend, parameterValues: values)
  }

  /// A model with the given parameter values (ParameterLayout order, Linear weights (out, in)).
  public init(config: GPTConfiguration, backend: any Backend, parameterValues: [Float]) throws {
    try config.validate()
    self.config = config
    self.backend = backend
    self.layout = ParameterLayout(config)
    guard parameterValues.count == layout.totalCount else {
      throw EngineError.invalidConfiguration(
        "expected \(layout.totalCount) parameter values for this configuration, got \(parameterValues.count)")
    }
    self.parameters = Tensor(storage: try backend.makeStorage(count: layout.totalCount), shape: [layout.totalCount])
    backend.write(parameterValues, to: parameters)
  }

  // MARK: Named access (the lessons read these)

  /// The parameter tensor with this Hugging Face name, e.g. "h.0.attn.c_attn.weight" (3C, C).
  public func parameter(_ name: String) -> Tensor? {
    layout[name].map { parameters.view(start: $0.offset, shape: $0.shape) }
  }

  /// The gradient of a parameter after `backward()`.
  public func gradient(_ name: String) -> Tensor? {
    guard let g = gradients, let e = layout[name] else { return nil }
    return g.view(start: e.offset, shape: e.shape)
  }

  /// AdamW's first (m) and second (v) moment of a parameter after a step.
  public func adamMoments(_ name: String) -> (m: Tensor, v: Tensor)? {
    guard let m = adamM, let v = adamV, let e = layout[name] else { return nil }
    return (m.view(start: e.offset, shape: e.shape), v.view(start: e.offset, shape: e.shape))
  }

  /// An intermediate of the last forward pass, e.g. "h.0.attn.probs" (B, NH, T, T). In lean mode
  /// the shared buffers (scores, GELU outputs) and, after backward, the logits are not readable.
  public func activation(_ name: String) -> Tensor? {
    guard let a = activations, a.layout.isRetained(name), !(name == "logits" && logitsConsumed) else { return nil }
    return a.tensor(name)
  }

  /// Names of all activations of the last forward pass, in model order.
  public var activationNames: [String] { activations?.layout.entries.map(\.name) ?? [] }

  /// (B, T) of the last forward pass.
  public var lastBatchShape: (B: Int, T: Int)? { activations.map { ($0.layout.B, $0.layout.T) } }

  /// Reads a tensor to the host.
  public func read(_ tensor: Tensor) -> [Float] { backend.read(tensor) }

  /// All parameter values, flat in layout order (for checkpoints).
  public func parameterValues() -> [Float] { backend.read(parameters) }

  /// Restores optimizer state (from a checkpoint). `m` and `v` are flat in layout order.
  public func restoreOptimizer(m: [Float], v: [Float], step: Int) throws {
    guard m.count == layout.totalCount, v.count == layout.totalCount, step >= 0 else {
      throw EngineError.invalidConfiguration(
        "optimizer state does not match the model (\(m.count), \(v.count) vs \(layout.totalCount))")
    }
    let (mt, vt) = try ensureOptimizerState()
    backend.write(m, to: mt)
    backend.write(v, to: vt)
    self.step = step
  }

  // MARK: Buffers

  func ensureGradients() throws -> Tensor {
    if let g = gradients { return g }
    let g = Tensor(storage: try backend.makeStorage(count: layout.totalCount), shape: [layout.totalCount])
    gradients = g
    return g
  }

  func ensureOptimizerState() throws -> (Tensor, Tensor) {
    if let m = adamM, let v = adamV { return (m, v) }
    let m = Tensor(storage: try backend.makeStorage(count: layout.totalCount), shape: [layout.totalCount])
    let v = Tensor(storage: try backend.makeStorage(count: layout.totalCount), shape: [layout.totalCount])
    adamM = m
    adamV = v
    return (m, v)
  }

  func ensureActivations(B: Int, T: Int) throws -> ActivationStore {
    if let a = activations, a.layout.B == B, a.layout.T == T { return a }
    activations = nil
    backwardScratch = nil
    let store = try ActivationStore(layout: ActivationLayout(config, B: B, T: T, lean: leanActivations), backend: backend)
    activations = store
    return store
  }

  func validateBatch(tokens: [Int32], targets: [Int32]?, B: Int, T: Int) throws {
    guard B >= 1, T >= 1 else { throw EngineError.invalidTokens("batch must be at least 1×1, got \(B)×\(T)") }
    guard T <= config.contextLength else {
      throw EngineError.invalidTokens("sequence length \(T) exceeds the model's context length \(config.contextLength)")
    }
    guard tokens.count == B * T else {
      throw EngineError.invalidTokens("expected \(B * T) token ids for \(B)×\(T), got \(tokens.count)")
    }
    if let bad = tokens.first(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
      throw EngineError.invalidTokens("token id \(bad) outside the vocabulary 0..<\(config.vocabSize)")
    }
    if let targets {
      guard targets.count == B * T else { throw EngineError.invalidTokens("expected \(B * T) targets, got \(targets.count)") }
      if let bad = targets.first(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
        throw EngineError.invalidTokens("target id \(bad) outside the vocabulary 0..<\(config.vocabSize)")
      }
    }
  }
}

/// The activations of one (B, T), in one flat tensor.
struct ActivationStore {
  let layout: ActivationLayout
  let flat: Tensor

  init(layout: ActivationLayout, backend: any Backend) throws {
    self.layout = layout
    flat = Tensor(storage: try backend.makeStorage(count: layout.totalCount), shape: [layout.totalCount])
  }

  func tensor(_ name: String) -> Tensor? {
    layout[name].map { flat.view(start: $0.offset, shape: $0.shape) }
  }

  subscript(_ name: String) -> Tensor {
    guard let t = tensor(name) else { preconditionFailure("no activation named \(name)") }
    return t
  }
}

extension GPT {
  /// Bytes a training step of (B, T) allocates: parameters, gradients, AdamW's m and v, the
  /// activations and the backward scratch. In Double, for memory checks before allocating.
  public static func estimatedTrainingBytes(_ config: GPTConfiguration, B: Int, T: Int, lean: Bool) -> Double {
    let parameters = 4 * Double(config.parameterCount)
    let activations = ActivationLayout.floatCount(config, B: B, T: T, lean: lean)
    return 4 * (parameters + activations + BackwardScratch.floatCount(config, B: B, T: T, lean: lean))
  }
}

/// Gradients of activations needed during backward, reused layer by layer (llm.c keeps one per
/// activation; one set per layer is enough because the backward pass visits layers in turn).
struct BackwardScratch {
  let dresidual, dln, datty: Tensor  // (B,T,C) — dresidual is the residual stream's gradient
  let dqkv: Tensor  // (B,T,3C)
  let dpreatt, datt: Tensor  // (B,NH,T,T)
  let dfch, dfchGelu: Tensor  // (B,T,4C)
  let dlogits: Tensor  // (B,T,V); in lean mode the logits' own buffer

  /// Floats the scratch allocates (in lean mode dlogits reuses the logits).
  static func floatCount(_ config: GPTConfiguration, B: Int, T: Int, lean: Bool) -> Double {
    let positions = Double(B) * Double(T), C = Double(config.embeddingSize)
    let dlogits = lean ? 0 : Double(config.vocabSize)
    return positions * (14 * C + dlogits) + 2 * positions * Double(config.headCount) * Double(T)
  }

  init(config: GPTConfiguration, B: Int, T: Int, backend: any Backend, logits: Tensor? = nil) throws {
    let C = config.embeddingSize, NH = config.headCount, V = config.vocabSize
    dresidual = try backend.makeTensor([B, T, C])
    dln = try backend.makeTensor([B, T, C])
    datty = try backend.makeTensor([B, T, C])
    dqkv = try backend.makeTensor([B, T, 3 * C])
    dpreatt = try backend.makeTensor([B, NH, T, T])
    datt = try backend.makeTensor([B, NH, T, T])
    dfch = try backend.makeTensor([B, T, 4 * C])
    dfchGelu = try backend.makeTensor([B, T, 4 * C])
    dlogits = try logits ?? backend.makeTensor([B, T, V])
  }
}
