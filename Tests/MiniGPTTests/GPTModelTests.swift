// Whole-model tests on the reference backend: finite-difference gradients of the full GPT-2 loss,
// KV-cache decoding against full forward passes, and training that actually learns.
import MiniGPT
import TestSupport
import Testing

@Suite struct GPTModelTests {
  // A micro configuration: every code path (several layers and heads, T < maxT) at tiny cost.
  static let micro = GPTConfiguration(vocabSize: 11, contextLength: 8, embeddingSize: 12, layerCount: 2, headCount: 3)

  static func batch(_ config: GPTConfiguration, B: Int, T: Int, seed: UInt64) -> ([Int32], [Int32]) {
    var rng = SplitMix64(seed: seed)
    let inputs = (0..<B * T).map { _ in Int32(rng.nextInt(below: config.vocabSize)) }
    let targets = (0..<B * T).map { _ in Int32(rng.nextInt(below: config.vocabSize)) }
    return (inputs, targets)
  }

  @Test func fullModelGradientsMatchFiniteDifferences() throws {
    let backend = ReferenceBackend()
    let model = try GPT(config: Self.micro, backend: backend, seed: 7)
    // Larger weights than the default init so every path carries a visible gradient.
    var rng = SplitMix64(seed: 99)
    var values = model.parameterValues()
    for e in model.layout.entries where e.isDecayed {
      for i in 0..<e.count { values[e.offset + i] = 0.3 * rng.nextNormal() }
    }
    let m = try GPT(config: Self.micro, backend: backend, parameterValues: values)
    let (x, y) = Self.batch(Self.micro, B: 2, T: 5, seed: 3)
    _ = try m.forward(tokens: x, targets: y, B: 2, T: 5)
    try m.zeroGradients()
    try m.backward()
    let analytic = backend.read(m.gradients!)

    // Central differences on a sample of entries from every parameter tensor. The loss is a
    // mean in Float32, so h = 1e-2 balances truncation (O(h²)) against rounding (O(ε/h)).
    let h: Float = 1e-2
    var checked = 0
    for e in m.layout.entries {
      for k in stride(from: 0, to: e.count, by: max(1, e.count / 4)) {
        let i = e.offset + k
        var plus = values, minus = values
        plus[i] += h
        minus[i] -= h
        let lp = try GPT(config: Self.micro, backend: backend, parameterValues: plus).forward(tokens: x, targets: y, B: 2, T: 5)!
        let lm = try GPT(config: Self.micro, backend: backend, parameterValues: minus).forward(tokens: x, targets: y, B: 2, T: 5)!
        let numeric = (lp - lm) / (2 * h)
        #expect(
          abs(numeric - analytic[i]) <= 2e-3 + 2e-2 * abs(numeric), "\(e.name)[\(k)]: analytic \(analytic[i]) numeric \(numeric)")
        checked += 1
      }
    }
    #expect(checked > 60)
  }

  @Test func initialLossIsNearLogV() throws {
    // With N(0, 0.02) weights the logits are nearly equal, so the loss ≈ −log(1/V) = log V.
    let model = try GPT(config: Self.micro, backend: ReferenceBackend(), seed: 1)
    let (x, y) = Self.batch(Self.micro, B: 2, T: 8, seed: 5)
    let loss = try model.forward(tokens: x, targets: y, B: 2, T: 8)!
    #expect(abs(loss - Float(log(11.0))) < 0.05)
  }

  @Test func cachedDecodingMatchesFullForward() throws {
    let backend = ReferenceBackend()
    let model = try GPT(config: Self.micro, backend: backend, seed: 11)
    let tokens: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6]
    let cache = try model.makeKVCache()
    // Prefill 3 tokens, then one at a time; each step's logits must equal the last row of a full forward.
    var fed = 3
    var cached = try model.decode(tokens: Array(tokens[0..<3]), cache: cache)
    while true {
      let full = try model.lastLogitsUncached(Array(tokens[0..<fed]))
      assertClose(cached, full, rtol: 1e-5, atol: 1e-6, "logits after \(fed) tokens")
      guard fed < tokens.count else { break }
      cached = try model.decode(tokens: [tokens[fed]], cache: cache)
      fed += 1
    }
    #expect(cache.length == tokens.count)
    #expect(throws: EngineError.self) { try model.decode(tokens: [1], cache: cache) }
  }

  @Test func cachedAndUncachedGenerationGiveTheSameTokens() throws {
    let model = try GPT(config: Self.micro, backend: ReferenceBackend(), seed: 12)
    for settings in [SamplingSettings.greedy, SamplingSettings(temperature: 0.9, topK: 5, topP: 0.9)] {
      let a = try model.generate(prompt: [1, 2], maxNewTokens: 6, sampling: settings, seed: 42, useCache: true)
      let b = try model.generate(prompt: [1, 2], maxNewTokens: 6, sampling: settings, seed: 42, useCache: false)
      #expect(a.tokens == b.tokens)
      #expect(a.tokens.count == 6)
    }
  }

  @Test func trainingLearnsARepeatingSequence() throws {
    // 0 1 2 … 10 0 1 2 …: the next token is a function of the current one, so the loss must fall
    // far below log V ≈ 2.40 within a few dozen steps.
    let model = try GPT(config: Self.micro, backend: ReferenceBackend(), seed: 2)
    let stream = (0..<200).map { Int32($0 % 11) }
    let data = try TokenDataset(tokens: stream, validationFraction: 0.1, sequenceLength: 8)
    let trainer = try Trainer(
      model: model, data: data,
      settings: TrainingSettings(
        batchSize: 4, sequenceLength: 8, steps: 60, learningRate: 1e-2, warmupSteps: 5, seed: 1))
    var last: Float = .infinity
    while !trainer.isFinished { last = try trainer.runStep().loss }
    #expect(last < 0.5)
    let validation = try trainer.evaluate(.validation)!
    #expect(validation < 0.5)
  }

  @Test func trainingIsReproducibleBitForBit() throws {
    func run() throws -> [Float] {
      let model = try GPT(config: Self.micro, backend: ReferenceBackend(), seed: 5)
      let data = try TokenDataset(tokens: (0..<300).map { Int32(($0 * 7) % 11) }, sequenceLength: 8)
      let trainer = try Trainer(
        model: model, data: data, settings: TrainingSettings(batchSize: 2, sequenceLength: 8, steps: 5, seed: 9))
      for _ in 0..<5 { _ = try trainer.runStep() }
      return model.parameterValues()
    }
    #expect(try run() == run())
  }

  @Test func badBatchesAreErrorsNotCrashes() throws {
    let model = try GPT(config: Self.micro, backend: ReferenceBackend(), seed: 1)
    #expect(throws: EngineError.self) { try model.forward(tokens: [0, 11], B: 1, T: 2) }  // id ≥ V
    #expect(throws: EngineError.self) { try model.forward(tokens: [0, -1], B: 1, T: 2) }  // negative id
    #expect(throws: EngineError.self) { try model.forward(tokens: Array(repeating: 0, count: 9), B: 1, T: 9) }  // T > maxT
    #expect(throws: EngineError.self) { try model.forward(tokens: [0], B: 1, T: 2) }  // count ≠ B·T
    #expect(throws: EngineError.self) { try model.backward() }  // no targets yet
    #expect(throws: EngineError.self) {
      try GPTConfiguration(vocabSize: 50257, contextLength: 1 << 20, embeddingSize: 1 << 16, layerCount: 96, headCount: 7)
        .validate()
    }
  }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LeanActivationTests {
  @Test func leanTrainingGivesTheSameParametersBitForBit() throws {
    // Lean mode only changes where activations live (and recomputes GELU from the same input
    // with the same kernel), so the arithmetic — and the trained weights — must be identical.
    func train(lean: Bool) throws -> (params: [Float], losses: [Float]) {
      let model = try GPT(config: GPTModelTests.micro, backend: CPUBackend(threads: 1), seed: 4)
      model.leanActivations = lean
      let data = try TokenDataset(tokens: (0..<300).map { Int32(($0 * 5) % 11) }, sequenceLength: 8)
      let trainer = try Trainer(
        model: model, data: data, settings: TrainingSettings(batchSize: 3, sequenceLength: 8, steps: 4, seed: 2))
      var losses: [Float] = []
      for _ in 0..<4 { losses.append(try trainer.runStep().loss) }
      return (model.parameterValues(), losses)
    }
    let full = try train(lean: false), lean = try train(lean: true)
    #expect(full.losses == lean.losses)
    #expect(full.params == lean.params)
  }

  @Test func memoryEstimateCountsWhatTheLayoutAllocates() {
    // The estimate memory checks use before allocating must be the layout itself, counted in Double.
    for config in [GPTModelTests.micro, GPTConfiguration.tiny, GPTConfiguration.small] {
      for (B, T) in [(1, 1), (3, 5), (8, config.contextLength)] {
        for lean in [false, true] {
          let layout = ActivationLayout(config, B: B, T: T, lean: lean)
          #expect(
            ActivationLayout.floatCount(config, B: B, T: T, lean: lean) == Double(layout.totalCount),
            "\(config) B=\(B) T=\(T) lean=\(lean)")
        }
      }
    }
    // Lean mode needs less, and the difference is the shared buffers of the other layers (plus dlogits).
    let c = GPTConfiguration.small, B = 8, T = 256
    let saved = GPT.estimatedTrainingBytes(c, B: B, T: T, lean: false) - GPT.estimatedTrainingBytes(c, B: B, T: T, lean: true)
    let perLayer = Double(B * T) * Double(4 * c.embeddingSize + c.headCount * T)
    #expect(saved == 4 * (Double(c.layerCount - 1) * perLayer + Double(B * T * c.vocabSize)))
  }

  @Test func leanModeDoesNotPretendToKeepSharedBuffers() throws {
    let model = try GPT(config: GPTModelTests.micro, backend: ReferenceBackend(), seed: 4)
    model.leanActivations = true
    let (x, y) = GPTModelTests.batch(GPTModelTests.micro, B: 1, T: 4, seed: 1)
    try model.forward(tokens: x, targets: y, B: 1, T: 4)
    #expect(model.activation("h.0.attn.scores") == nil)
    #expect(model.activation("h.1.mlp.gelu") == nil)
    #expect(model.activation("h.0.attn.probs") != nil)
    #expect(model.activation("logits") != nil)
    try model.zeroGradients()
    try model.backward()
    #expect(model.activation("logits") == nil)  // overwritten by its gradient
  }
}
