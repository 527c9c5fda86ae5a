// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// GPT-2 forward pass, one backend call per line in model order (llm.c gpt2_forward).
// Legend: B batch, T time, C channels, NH heads, V vocabulary, N = B·T.

extension GPT {
  /// Runs the model on B sequences of T tokens. With targets, returns the mean cross-entropy loss.
  /// Every intermediate stays readable through `activation(_:)` until the next forward pass.
  @discardableResult
  public func forward(tokens: [Int32], targets: [Int32]? = nil, B: Int, T: Int) throws -> Float? {
    try validateBatch(tokens: tokens, targets: targets, B: B, T: T)
    let a = try ensureActivations(B: B, T: T)
    let be = backend
    let C = config.embeddingSize, NH = config.headCount, V = config.vocabSize, N = B * T
    func p(_ name: String) -> Tensor { parameter(name)! }

    be.encoderForward(out: a["encoded"], tokens: tokens, wte: p("wte.weight"), wpe: p("wpe.weight"),
                      B: B, T: T, C: C, positionOffset: 0)                                     // (B,T,C)
    var residual = a["encoded"]
    for l in 0..<config.layerCount {
      let h = "h.\(l)."
      be.layerNormForward(out: a[h + "ln_1"], mean: a[h + "ln_1.mean"], rstd: a[h + "ln_1.rstd"], inp: residual,
                          weight: p(h + "ln_1.weight"), bias: p(h + "ln_1.bias"), N: N, C: C)   // (B,T,C)
      be.matmulForward(out: a[h + "attn.qkv"], inp: a[h + "ln_1"], weight: p(h + "attn.c_attn.weight"),
                       bias: p(h + "attn.c_attn.bias"), N: N, C: C, OC: 3 * C)                  // (B,T,3C)
      be.attentionForward(out: a[h + "attn.out"], preatt: a[h + "attn.scores"], att: a[h + "attn.probs"],
                          qkv: a[h + "attn.qkv"], B: B, T: T, C: C, NH: NH)                    // (B,T,C), (B,NH,T,T)
      be.matmulForward(out: a[h + "attn.proj"], inp: a[h + "attn.out"], weight: p(h + "attn.c_proj.weight"),
                       bias: p(h + "attn.c_proj.bias"), N: N, C: C, OC: C)                      // (B,T,C)
      be.residualForward(out: a[h + "residual_attn"], a: residual, b: a[h + "attn.proj"], N: N * C) // (B,T,C)
      be.layerNormForward(out: a[h + "ln_2"], mean: a[h + "ln_2.mean"], rstd: a[h + "ln_2.rstd"],
                          inp: a[h + "residual_attn"], weight: p(h + "ln_2.weight"), bias: p(h + "ln_2.bias"),
                          N: N, C: C)                                                            // (B,T,C)
      be.matmulForward(out: a[h + "mlp.hidden"], inp: a[h + "ln_2"], weight: p(h + "mlp.c_fc.weight"),
                       bias: p(h + "mlp.c_fc.bias"), N: N, C: C, OC: 4 * C)                     // (B,T,4C)
      be.geluForward(out: a[h + "mlp.gelu"], inp: a[h + "mlp.hidden"], N: N * 4 * C)           // (B,T,4C)
      be.matmulForward(out: a[h + "mlp.proj"], inp: a[h + "mlp.gelu"], weight: p(h + "mlp.c_proj.weight"),
                       bias: p(h + "mlp.c_proj.bias"), N: N, C: 4 * C, OC: C)                   // (B,T,C)
      be.residualForward(out: a[h + "residual_mlp"], a: a[h + "residual_attn"], b: a[h + "mlp.proj"], N: N * C) // (B,T,C)
      residual = a[h + "residual_mlp"]
    }
    be.layerNormForward(out: a["ln_f"], mean: a["ln_f.mean"], rstd: a["ln_f.rstd"], inp: residual,
                        weight: p("ln_f.weight"), bias: p("ln_f.bias"), N: N, C: C)            // (B,T,C)
    be.matmulForward(out: a["logits"], inp: a["ln_f"], weight: p("wte.weight"), bias: nil,
                     N: N, C: C, OC: V)                                                        // (B,T,V) tied LM head
    be.softmaxCrossEntropyForward(losses: a["losses"], probs: a["probs"], logits: a["logits"],
                                  targets: targets, N: N, V: V)                                // (B,T,V), (B,T)

    lastTokens = tokens
    lastTargets = targets
    logitsConsumed = false
    guard targets != nil else {
      lastLoss = nil
      return nil
    }
    // The mean in Double: the same sum on every backend, whatever its reduction order.
    let losses = be.read(a["losses"])
    let loss = Float(losses.reduce(0.0) { $0 + Double($1) } / Double(N))
    lastLoss = loss
    return loss
  }
}
