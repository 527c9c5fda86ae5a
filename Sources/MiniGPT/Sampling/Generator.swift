// Autoregressive generation with or without the KV cache, streaming each token as it is drawn.
// With the cache a new token costs one row through the network; without it, the whole prefix
// is recomputed every step (the naive way, kept to show why the cache exists — and as a test oracle).

public struct GenerationStats: Sendable {
  public var promptTokens: Int
  public var generatedTokens: Int
  public var prefillSeconds: Double
  public var decodeSeconds: Double
  public var totalSeconds: Double { prefillSeconds + decodeSeconds }
  /// New tokens per second over prefill + decode (the bench's definition).
  public var tokensPerSecond: Double { totalSeconds > 0 ? Double(generatedTokens) / totalSeconds : 0 }
  /// Bytes in the KV cache at the end (0 without cache).
  public var cacheBytes: Int
}

extension GPT {
  /// Generates up to `maxNewTokens` after `prompt`. `onToken` sees each token as it is drawn and
  /// may return false to stop. Generation also stops at a token in `stopTokens` (which is kept).
  /// When the context fills up, the cached path keeps the last half of the context and
  /// re-prefills; the uncached path slides a full window. Both agree while the text fits.
  public func generate(
    prompt: [Int32], maxNewTokens: Int, sampling: SamplingSettings, seed: UInt64,
    useCache: Bool = true, stopTokens: Set<Int32> = [],
    onToken: (Int32) -> Bool = { _ in true }
  ) throws -> (tokens: [Int32], stats: GenerationStats) {
    try sampling.validate()
    guard !prompt.isEmpty else { throw EngineError.invalidTokens("the prompt is empty: generation needs at least one token") }
    var sampler = Sampler(settings: sampling, seed: seed)
    var context = Array(prompt.suffix(config.contextLength))
    var generated: [Int32] = []
    let clock = ContinuousClock()
    var prefill: Duration = .zero, decodeTime: Duration = .zero
    let cache = useCache ? try makeKVCache() : nil

    var start = clock.now
    var logits: [Float]
    if let cache {
      logits = try decode(tokens: context, cache: cache)
    } else {
      logits = try lastLogitsUncached(context)
    }
    prefill = clock.now - start
    start = clock.now
    while generated.count < maxNewTokens {
      let next = sampler.sample(logits)
      generated.append(next)
      context.append(next)
      if !onToken(next) || stopTokens.contains(next) || generated.count == maxNewTokens { break }
      if let cache {
        if cache.length >= config.contextLength {
          cache.reset()
          context = Array(context.suffix(max(1, config.contextLength / 2)))
          logits = try decode(tokens: context, cache: cache)
        } else {
          logits = try decode(tokens: [next], cache: cache)
        }
      } else {
        context = Array(context.suffix(config.contextLength))
        logits = try lastLogitsUncached(context)
      }
    }
    decodeTime = clock.now - start
    let stats = GenerationStats(
      promptTokens: prompt.count, generatedTokens: generated.count,
      prefillSeconds: prefill.seconds, decodeSeconds: decodeTime.seconds,
      cacheBytes: cache?.filledBytes ?? 0)
    return (generated, stats)
  }

  /// Logits of the last position from a full forward pass over `context` (no cache).
  public func lastLogitsUncached(_ context: [Int32]) throws -> [Float] {
    let T = context.count
    try forward(tokens: context, B: 1, T: T)
    let logits = activation("logits")!
    return backend.read(logits.view(start: (T - 1) * config.vocabSize, shape: [config.vocabSize]))
  }
}

extension Duration {
  /// As seconds in Double.
  public var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
