// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// GPT-2 backward pass: the forward script in reverse (llm.c gpt2_backward). Parameter gradients
// are accumulated into `gradients`, readable by name with `gradient(_:)`.
// The residual adds pass their gradient unchanged to both branches, so one buffer, `dresidual`,
// carries the residual stream's gradient down the network: each branch reads it as its output
// gradient and each LayerNorm backward adds its input gradient into it.

extension GPT {
  /// Sets every parameter gradient to zero.
  public func zeroGradients() throws {
    backend.fill(try ensureGradients(), with: 0)
  }

  /// Backpropagates the mean loss of the last forward pass (which must have had targets).
  /// Gradients ACCUMULATE: call `zeroGradients()` first for a fresh step.
  public func backward() throws {
    guard let a = activations, let targets = lastTargets else {
      throw EngineError.invalidTokens("backward() needs a forward pass with targets first")
    }
    _ = try ensureGradients()
    let B = a.layout.B, T = a.layout.T
    if backwardScratch == nil {
      // Backward reads probs, never logits: lean mode writes dlogits over them.
      backwardScratch = try BackwardScratch(config: config, B: B, T: T, backend: backend,
                                            logits: a.layout.isLean ? a["logits"] : nil)
    }
    let s = backwardScratch!
    let be = backend
    let C = config.embeddingSize, NH = config.headCount, V = config.vocabSize, N = B * T
    func p(_ name: String) -> Tensor { parameter(name)! }
    func g(_ name: String) -> Tensor { gradient(name)! }

    be.fill(s.dlogits, with: 0)
    be.fill(s.dln, with: 0)
    be.fill(s.dresidual, with: 0)
    be.softmaxCrossEntropyBackward(dlogits: s.dlogits, probs: a["probs"], targets: targets,
                                   dloss: 1 / Float(N), N: N, V: V)                            // (B,T,V)
    be.matmulBackward(dinp: s.dln, dweight: g("wte.weight"), dbias: nil, dout: s.dlogits, inp: a["ln_f"],
                      weight: p("wte.weight"), N: N, C: C, OC: V)                              // (B,T,C)
    let lastResidual = config.layerCount > 0 ? a["h.\(config.layerCount - 1).residual_mlp"] : a["encoded"]
    be.layerNormBackward(dinp: s.dresidual, dweight: g("ln_f.weight"), dbias: g("ln_f.bias"), dout: s.dln,
                         inp: lastResidual, weight: p("ln_f.weight"), mean: a["ln_f.mean"], rstd: a["ln_f.rstd"],
                         N: N, C: C)                                                           // (B,T,C)

    for l in stride(from: config.layerCount - 1, through: 0, by: -1) {
      let h = "h.\(l)."
      let residual = l == 0 ? a["encoded"] : a["h.\(l - 1).residual_mlp"]
      // MLP branch: dresidual is d(residual_mlp) = d(mlp.proj) = pass-through to residual_attn.
      be.fill(s.dfchGelu, with: 0)
      be.fill(s.dfch, with: 0)
      be.fill(s.dln, with: 0)
      if a.layout.isLean {
        be.geluForward(out: a[h + "mlp.gelu"], inp: a[h + "mlp.hidden"], N: N * 4 * C)       // (B,T,4C) recomputed
      }
      be.matmulBackward(dinp: s.dfchGelu, dweight: g(h + "mlp.c_proj.weight"), dbias: g(h + "mlp.c_proj.bias"),
                        dout: s.dresidual, inp: a[h + "mlp.gelu"], weight: p(h + "mlp.c_proj.weight"),
                        N: N, C: 4 * C, OC: C)                                                 // (B,T,4C)
      be.geluBackward(dinp: s.dfch, inp: a[h + "mlp.hidden"], dout: s.dfchGelu, N: N * 4 * C) // (B,T,4C)
      be.matmulBackward(dinp: s.dln, dweight: g(h + "mlp.c_fc.weight"), dbias: g(h + "mlp.c_fc.bias"),
                        dout: s.dfch, inp: a[h + "ln_2"], weight: p(h + "mlp.c_fc.weight"),
                        N: N, C: C, OC: 4 * C)                                                 // (B,T,C)
      be.layerNormBackward(dinp: s.dresidual, dweight: g(h + "ln_2.weight"), dbias: g(h + "ln_2.bias"),
                           dout: s.dln, inp: a[h + "residual_attn"], weight: p(h + "ln_2.weight"),
                           mean: a[h + "ln_2.mean"], rstd: a[h + "ln_2.rstd"], N: N, C: C)    // (B,T,C) now d(residual_attn)
      // Attention branch: dresidual is d(residual_attn) = d(attn.proj) = pass-through to the block input.
      be.fill(s.datty, with: 0)
      be.fill(s.dqkv, with: 0)
      be.fill(s.dpreatt, with: 0)
      be.fill(s.datt, with: 0)
      be.fill(s.dln, with: 0)
      be.matmulBackward(dinp: s.datty, dweight: g(h + "attn.c_proj.weight"), dbias: g(h + "attn.c_proj.bias"),
                        dout: s.dresidual, inp: a[h + "attn.out"], weight: p(h + "attn.c_proj.weight"),
                        N: N, C: C, OC: C)                                                     // (B,T,C)
      be.attentionBackward(dqkv: s.dqkv, dpreatt: s.dpreatt, datt: s.datt, dout: s.datty, qkv: a[h + "attn.qkv"],
                           att: a[h + "attn.probs"], B: B, T: T, C: C, NH: NH)                 // (B,T,3C)
      be.matmulBackward(dinp: s.dln, dweight: g(h + "attn.c_attn.weight"), dbias: g(h + "attn.c_attn.bias"),
                        dout: s.dqkv, inp: a[h + "ln_1"], weight: p(h + "attn.c_attn.weight"),
                        N: N, C: C, OC: 3 * C)                                                 // (B,T,C)
      be.layerNormBackward(dinp: s.dresidual, dweight: g(h + "ln_1.weight"), dbias: g(h + "ln_1.bias"),
                           dout: s.dln, inp: residual, weight: p(h + "ln_1.weight"),
                           mean: a[h + "ln_1.mean"], rstd: a[h + "ln_1.rstd"], N: N, C: C)    // (B,T,C) now d(block input)
    }
    logitsConsumed = a.layout.isLean
    be.encoderBackward(dwte: g("wte.weight"), dwpe: g("wpe.weight"), dout: s.dresidual, tokens: lastTokens,
                       B: B, T: T, C: C)                                                       // (V,C), (maxT,C)
  }
}
