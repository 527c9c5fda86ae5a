// Generation for the chat that keeps what the educational mode explains: the logits of every step
// (the candidates and probabilities are computed from them afterwards, with the engine's own
// Sampler) and, with --show-tensors, real tensors read right after the prefill (embedding rows,
// the last layer's attention of the last prompt position, the KV cache size). It is the same loop
// as GPT.generate (Sampling/Generator.swift), step for step, so the same seed gives the same tokens
// as `generate` — a CLI test checks it.
import MiniGPT

struct GenerationStep {
  let token: Int32
  /// The logits the token was drawn from (V).
  let logits: [Float]
  /// Sampling plus the decode that follows (the last step has no decode).
  let seconds: Double
}

struct TensorSnapshot {
  /// (token, first values of its wte row), for the first prompt tokens.
  var embeddingRows: [(token: Int32, values: [Float])]
  /// The first values of wpe row 0.
  var positionRow: [Float]
  /// Per head, the last prompt position's attention weights over the prompt (last layer).
  var attention: [[Float]]
  var cacheBytes: Int
  var cacheCapacityBytes: Int
}

struct GenerationTrace {
  /// What was fed at the prefill (the prompt cut to the context length).
  var context: [Int32]
  var steps: [GenerationStep] = []
  var prefillSeconds = 0.0
  var decodeSeconds = 0.0
  var stoppedAtEndOfText = false
  /// Times the context filled up and was cut to its last half.
  var contextResets = 0
  var snapshot: TensorSnapshot?

  var totalSeconds: Double { prefillSeconds + decodeSeconds }
  var tokensPerSecond: Double { totalSeconds > 0 ? Double(steps.count) / totalSeconds : 0 }
  var tokens: [Int32] { steps.map(\.token) }
}

enum TracedGenerator {
  static func generate(
    model: GPT, prompt: [Int32], maxNewTokens: Int, sampling: SamplingSettings, seed: UInt64,
    stopTokens: Set<Int32>, captureTensors: Bool, onToken: (Int32) -> Bool
  ) throws -> GenerationTrace {
    try sampling.validate()
    guard !prompt.isEmpty else { throw EngineError.invalidTokens("the prompt is empty: generation needs at least one token") }
    let limit = model.config.contextLength
    var sampler = Sampler(settings: sampling, seed: seed)
    var context = Array(prompt.suffix(limit))
    var trace = GenerationTrace(context: context)
    let cache = try model.makeKVCache()
    let clock = ContinuousClock()

    var start = clock.now
    var logits = try model.decode(tokens: context, cache: cache)
    trace.prefillSeconds = (clock.now - start).seconds
    if captureTensors { trace.snapshot = snapshot(model, context: context, cache: cache) }
    let decodeStart = clock.now
    while trace.steps.count < maxNewTokens {
      start = clock.now
      let next = sampler.sample(logits)
      let used = logits
      context.append(next)
      let stop = stopTokens.contains(next)
      let wanted = stop ? false : onToken(next)  // as GPT.generate: onToken may stop it
      let finished = stop || !wanted || trace.steps.count + 1 == maxNewTokens
      if !finished {
        if cache.length >= limit {
          cache.reset()
          context = Array(context.suffix(max(1, limit / 2)))
          trace.contextResets += 1
          logits = try model.decode(tokens: context, cache: cache)
        } else {
          logits = try model.decode(tokens: [next], cache: cache)
        }
      }
      trace.steps.append(GenerationStep(token: next, logits: used, seconds: (clock.now - start).seconds))
      if stop { trace.stoppedAtEndOfText = true }
      if finished { break }
    }
    trace.decodeSeconds = (clock.now - decodeStart).seconds
    return trace
  }

  private static func snapshot(_ model: GPT, context: [Int32], cache: KVCache) -> TensorSnapshot {
    let C = model.config.embeddingSize, shown = min(8, C)
    let wte = model.parameter("wte.weight")!, wpe = model.parameter("wpe.weight")!
    let rows = context.prefix(6).map { token in
      (token: token, values: model.read(wte.view(start: Int(token) * C, shape: [shown])))
    }
    let positionRow = model.read(wpe.view(start: 0, shape: [shown]))
    var attention: [[Float]] = []
    let T = context.count, maxT = model.config.contextLength
    if let att = model.lastDecodeAttention(rows: T) {
      let all = model.read(att)  // (NH, T, maxT)
      for h in 0..<model.config.headCount {
        let base = h * T * maxT + (T - 1) * maxT
        attention.append(Array(all[base..<(base + T)]))
      }
    }
    return TensorSnapshot(
      embeddingRows: rows, positionRow: positionRow, attention: attention,
      cacheBytes: cache.filledBytes, cacheCapacityBytes: cache.capacityBytes)
  }
}
