// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// Incremental (KV-cache) forward pass for generation, batch 1: the new tokens' rows go through
// the same layers as in GPT+Forward, attention reads keys and values of all earlier positions
// from the cache, and the LM head runs on the last row only.

extension GPT {
  /// A fresh, empty cache for this model.
  public func makeKVCache() throws -> KVCache { try KVCache(config: config, backend: backend) }

  /// Feeds `tokens` (the prompt, or one new token) at positions cache.length..., appends their
  /// keys and values to the cache and returns the logits (V) of the last position.
  public func decode(tokens: [Int32], cache: KVCache) throws -> [Float] {
    let T = tokens.count, start = cache.length
    guard T >= 1 else { throw EngineError.invalidTokens("decode needs at least one token") }
    guard start + T <= config.contextLength else {
      throw EngineError.invalidTokens("the KV cache holds \(config.contextLength) positions; \(start) + \(T) do not fit")
    }
    try validateBatch(tokens: tokens, targets: nil, B: 1, T: T)
    if decodeStore == nil { decodeStore = try DecodeStore(config: config, backend: backend) }
    let d = decodeStore!
    let be = backend
    let C = config.embeddingSize, NH = config.headCount, V = config.vocabSize, maxT = config.contextLength
    func p(_ name: String) -> Tensor { parameter(name)! }
    func rows(_ t: Tensor, _ width: Int) -> Tensor { t.view(start: 0, shape: [T, width]) }
    let x = rows(d.x, C), x2 = rows(d.x2, C), ln = rows(d.ln, C), atty = rows(d.atty, C), proj = rows(d.proj, C)
    let mean = d.mean.view(start: 0, shape: [T]), rstd = d.rstd.view(start: 0, shape: [T])
    let qkv = rows(d.qkv, 3 * C), fch = rows(d.fch, 4 * C), fchGelu = rows(d.fchGelu, 4 * C)
    let att = d.att.view(start: 0, shape: [NH, T, maxT])

    be.encoderForward(out: x, tokens: tokens, wte: p("wte.weight"), wpe: p("wpe.weight"),
                      B: 1, T: T, C: C, positionOffset: start)                                 // (T,C)
    for l in 0..<config.layerCount {
      let h = "h.\(l)."
      be.layerNormForward(out: ln, mean: mean, rstd: rstd, inp: x, weight: p(h + "ln_1.weight"),
                          bias: p(h + "ln_1.bias"), N: T, C: C)                                // (T,C)
      be.matmulForward(out: qkv, inp: ln, weight: p(h + "attn.c_attn.weight"), bias: p(h + "attn.c_attn.bias"),
                       N: T, C: C, OC: 3 * C)                                                  // (T,3C)
      be.kvCacheWrite(kCache: cache.keys[l], vCache: cache.values[l], qkv: qkv, T: T, C: C, position: start)
      be.attentionCachedForward(out: atty, att: att, qkv: qkv, kCache: cache.keys[l], vCache: cache.values[l],
                                T: T, C: C, NH: NH, position: start, maxT: maxT)              // (T,C)
      be.matmulForward(out: proj, inp: atty, weight: p(h + "attn.c_proj.weight"), bias: p(h + "attn.c_proj.bias"),
                       N: T, C: C, OC: C)                                                      // (T,C)
      be.residualForward(out: x2, a: x, b: proj, N: T * C)                                    // (T,C)
      be.layerNormForward(out: ln, mean: mean, rstd: rstd, inp: x2, weight: p(h + "ln_2.weight"),
                          bias: p(h + "ln_2.bias"), N: T, C: C)                                // (T,C)
      be.matmulForward(out: fch, inp: ln, weight: p(h + "mlp.c_fc.weight"), bias: p(h + "mlp.c_fc.bias"),
                       N: T, C: C, OC: 4 * C)                                                  // (T,4C)
      be.geluForward(out: fchGelu, inp: fch, N: T * 4 * C)                                    // (T,4C)
      be.matmulForward(out: proj, inp: fchGelu, weight: p(h + "mlp.c_proj.weight"), bias: p(h + "mlp.c_proj.bias"),
                       N: T, C: 4 * C, OC: C)                                                  // (T,C)
      be.residualForward(out: x, a: x2, b: proj, N: T * C)                                    // (T,C)
    }
    let last = x.view(start: (T - 1) * C, shape: [1, C])
    let lastLN = ln.view(start: 0, shape: [1, C])
    be.layerNormForward(out: lastLN, mean: mean.view(start: 0, shape: [1]), rstd: rstd.view(start: 0, shape: [1]),
                        inp: last, weight: p("ln_f.weight"), bias: p("ln_f.bias"), N: 1, C: C) // (1,C)
    be.matmulForward(out: d.logits, inp: lastLN, weight: p("wte.weight"), bias: nil, N: 1, C: C, OC: V) // (1,V)
    cache.length = start + T
    return be.read(d.logits)
  }

  /// The attention weights (NH, rows, maxT) of the last layer decoded in the last `decode` call.
  public func lastDecodeAttention(rows: Int) -> Tensor? {
    decodeStore.map { $0.att.view(start: 0, shape: [config.headCount, rows, config.contextLength]) }
  }
}
