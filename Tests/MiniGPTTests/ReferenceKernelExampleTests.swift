// Hand-worked examples for the reference kernels (derivations in the comments), and the
// KV-cache decoding path checked against full causal attention.
import MiniGPT
import TestSupport
import Testing

@Suite("Reference kernels: hand-worked examples")
struct ReferenceKernelExampleTests {
  let ref = ReferenceBackend()

  // x = [1, 2, 3]: mean 2, biased variance ((−1)² + 0² + 1²)/3 = 2/3,
  // rstd = 1/√(2/3 + 1e-5) = 1.2247357 (without eps it would be √1.5 = 1.2247449).
  // x̂ = [−1, 0, 1]·rstd; with weight [2, 1, 0.5] and bias [1, 0, −1]: out = [1 − 2·rstd, 0, −1 + rstd/2].
  @Test func layerNormOfOneTwoThree() throws {
    let inp = try tensor(ref, [1, 2, 3], [1, 3])
    let weight = try tensor(ref, [2, 1, 0.5], [3]), bias = try tensor(ref, [1, 0, -1], [3])
    let out = try ref.makeTensor([1, 3]), mean = try ref.makeTensor([1]), rstd = try ref.makeTensor([1])
    ref.layerNormForward(out: out, mean: mean, rstd: rstd, inp: inp, weight: weight, bias: bias, N: 1, C: 3)
    let r: Float = 1.2247357
    assertClose(ref.read(mean), [2], rtol: 0, atol: 1e-7, "mean")
    assertClose(ref.read(rstd), [r], rtol: 1e-6, atol: 0, "rstd")
    assertClose(ref.read(out), [1 - 2 * r, 0, -1 + r / 2], rtol: 1e-6, atol: 1e-6, "out")
  }

  // logits [0, ln 3]: exp = [1, 3], probs = [1/4, 3/4]. Target 0: loss = −ln(1/4) = ln 4 = 1.3862944.
  // Gradient with dloss = 0.5: (probs − onehot)·dloss = [(1/4 − 1)/2, (3/4)/2] = [−0.375, 0.375].
  @Test func softmaxCrossEntropyTwoClasses() throws {
    let logits = try tensor(ref, [0, 1.0986123], [1, 2])
    let probs = try ref.makeTensor([1, 2]), losses = try ref.makeTensor([1]), dlogits = try ref.makeTensor([1, 2])
    ref.softmaxCrossEntropyForward(losses: losses, probs: probs, logits: logits, targets: [0], N: 1, V: 2)
    assertClose(ref.read(probs), [0.25, 0.75], rtol: 1e-6, atol: 1e-7, "probs")
    assertClose(ref.read(losses), [1.3862944], rtol: 1e-6, atol: 0, "loss")
    ref.softmaxCrossEntropyBackward(dlogits: dlogits, probs: probs, targets: [0], dloss: 0.5, N: 1, V: 2)
    assertClose(ref.read(dlogits), [-0.375, 0.375], rtol: 1e-6, atol: 1e-7, "dlogits")
  }

  // Without targets only the probabilities are written (generation); huge logits must not overflow:
  // softmax subtracts the row max first, so [1000, 1000] gives [0.5, 0.5].
  @Test func softmaxIsStableForHugeLogits() throws {
    let logits = try tensor(ref, [1000, 1000, -1000], [1, 3])
    let probs = try ref.makeTensor([1, 3]), losses = try ref.makeTensor([1])
    ref.softmaxCrossEntropyForward(losses: losses, probs: probs, logits: logits, targets: nil, N: 1, V: 3)
    assertClose(ref.read(probs), [0.5, 0.5, 0], rtol: 0, atol: 1e-7, "probs")
  }

  // gelu(0) = 0 and gelu'(0) = ½(1 + tanh 0) + 0 = ½. For large |x| tanh saturates: gelu(10) = 10,
  // gelu(−10) = −5·(1 − tanh(≈8.0)) ≈ −1e-6. gelu(1) = ½(1 + tanh(√(2/π)·1.044715)) = 0.8411920
  // (torch.nn.functional.gelu(1.0, approximate="tanh") prints 0.8412).
  @Test func geluValues() throws {
    let inp = try tensor(ref, [0, 10, -10, 1], [4])
    let out = try ref.makeTensor([4]), dinp = try ref.makeTensor([4])
    ref.geluForward(out: out, inp: inp, N: 4)
    assertClose(ref.read(out), [0, 10, 0, 0.8411920], rtol: 1e-6, atol: 1e-5, "gelu")
    ref.geluBackward(dinp: dinp, inp: inp, dout: try tensor(ref, [1, 1, 1, 0], [4]), N: 4)
    assertClose(ref.read(dinp), [0.5, 1, 0, 0], rtol: 1e-6, atol: 1e-5, "gelu'")
  }

  // One head of size 1 (scale 1/√1 = 1), T = 2. Row 0 sees only itself: att = [1, 0], out = v0,
  // preatt[0,1] = −∞. Row 1: scores q1·[k0, k1] = 1·[0, ln 3] → softmax [1/4, 3/4] →
  // out = v0/4 + 3·v1/4 = 2/4 + 3·6/4 = 5.
  @Test func attentionTwoTokens() throws {
    // qkv rows: (q, k, v) per token.
    let qkv = try tensor(ref, [7, 0, 2, 1, 1.0986123, 6], [1, 2, 3])
    let out = try ref.makeTensor([1, 2, 1])
    let preatt = try ref.makeTensor([1, 1, 2, 2]), att = try ref.makeTensor([1, 1, 2, 2])
    ref.attentionForward(out: out, preatt: preatt, att: att, qkv: qkv, B: 1, T: 2, C: 1, NH: 1)
    #expect(ref.read(preatt)[1] == -.infinity)
    assertClose(ref.read(att), [1, 0, 0.25, 0.75], rtol: 1e-6, atol: 1e-7, "att")
    assertClose(ref.read(out), [2, 5], rtol: 1e-6, atol: 1e-6, "out")
  }

  // AdamW with a constant gradient g: after step 1, m = (1−β1)g and v = (1−β2)g², so the bias
  // corrections give m̂ = g, v̂ = g² and the update is lr·g/(|g| + eps) = lr·sign(g) as eps → 0.
  // Step 2: m = β1(1−β1)g + (1−β1)g = (1−β1²)g, m̂ = g again (likewise v̂ = g²): another lr·sign(g).
  // Here p = 1, g = grads·gradScale = −4·(−0.125) = 0.5, lr = 0.1, weight decay 0.01, eps 1e-12:
  // step 1: p = 1 − 0.1·(1 + 0.01·1) = 0.899; step 2: p = 0.899 − 0.1·(1 + 0.01·0.899) = 0.798101.
  // A second element with g = −0.5 and weight decay moves the other way: 1 + 0.1·(1 − 0.01) = 1.099.
  @Test func adamWConstantGradientStepsByLearningRate() throws {
    let params = try tensor(ref, [1, 1], [2]), grads = try tensor(ref, [-4, 4], [2])
    let m = try ref.makeTensor([2]), v = try ref.makeTensor([2])
    func step(_ t: Int) {
      ref.adamWUpdate(
        params: params, grads: grads, m: m, v: v, count: 2, learningRate: 0.1, beta1: 0.9,
        beta2: 0.999, eps: 1e-12, weightDecay: 0.01, gradScale: -0.125, step: t)
    }
    step(1)
    assertClose(ref.read(params), [0.899, 1.099], rtol: 1e-6, atol: 0, "params after step 1")
    assertClose(ref.read(m), [0.05, -0.05], rtol: 1e-6, atol: 0, "m = (1 − β1)·g")
    // Float(0.999) = 0.99900001, so 1 − β2 is 0.00099998713: 1.3e-5 relative below 0.001.
    assertClose(ref.read(v), [0.00025, 0.00025], rtol: 3e-5, atol: 0, "v = (1 − β2)·g²")
    step(2)
    assertClose(ref.read(params), [0.798101, 1.197901], rtol: 1e-6, atol: 0, "params after step 2")
  }

  // 1² + 2² + 3² + (−4)² = 30.
  @Test func sumOfSquares() throws {
    #expect(ref.sumOfSquares(try tensor(ref, [1, 2, 3, -4], [4])) == 30)
  }

  // Decoding with a KV cache must reproduce full causal attention: prefill 3 rows at once, then
  // feed the remaining rows one at a time; every output row and every attention row must match
  // attentionForward on the whole sequence (att is (NH,T,maxT) there, zero past the position).
  @Test func cachedAttentionMatchesFullAttention() throws {
    var rng = SplitMix64(seed: 11)
    let T = 6, C = 12, NH = 3, maxT = 8
    let qkvValues = rng.normals(T * 3 * C)
    let qkv = try tensor(ref, qkvValues, [1, T, 3 * C])
    let out = try ref.makeTensor([1, T, C])
    let preatt = try ref.makeTensor([1, NH, T, T]), att = try ref.makeTensor([1, NH, T, T])
    ref.attentionForward(out: out, preatt: preatt, att: att, qkv: qkv, B: 1, T: T, C: C, NH: NH)
    let fullOut = ref.read(out), fullAtt = ref.read(att)

    let kCache = try ref.makeTensor([maxT, C]), vCache = try ref.makeTensor([maxT, C])
    for (start, count) in [(0, 3), (3, 1), (4, 1), (5, 1)] {
      let rows = try tensor(ref, Array(qkvValues[(start * 3 * C)..<((start + count) * 3 * C)]), [count, 3 * C])
      let stepOut = try ref.makeTensor([count, C]), stepAtt = try ref.makeTensor([NH, count, maxT])
      ref.kvCacheWrite(kCache: kCache, vCache: vCache, qkv: rows, T: count, C: C, position: start)
      ref.attentionCachedForward(
        out: stepOut, att: stepAtt, qkv: rows, kCache: kCache, vCache: vCache,
        T: count, C: C, NH: NH, position: start, maxT: maxT)
      assertClose(
        ref.read(stepOut), Array(fullOut[(start * C)..<((start + count) * C)]), rtol: 1e-6, atol: 1e-6,
        "out rows \(start)..<\(start + count)")
      let cachedAtt = ref.read(stepAtt)
      for h in 0..<NH {
        for t in 0..<count {
          let fullRow = Array(fullAtt[((h * T + start + t) * T)..<((h * T + start + t + 1) * T)])
          let expected = fullRow + [Float](repeating: 0, count: maxT - T)
          let actual = Array(cachedAtt[((h * count + t) * maxT)..<((h * count + t + 1) * maxT)])
          assertClose(actual, expected, rtol: 1e-6, atol: 1e-7, "att head \(h) row \(start + t)")
        }
      }
    }
    // The caches hold the k and v thirds of every row.
    let k = ref.read(kCache), v = ref.read(vCache)
    for t in 0..<T {
      #expect(Array(k[(t * C)..<((t + 1) * C)]) == Array(qkvValues[(t * 3 * C + C)..<(t * 3 * C + 2 * C)]))
      #expect(Array(v[(t * C)..<((t + 1) * C)]) == Array(qkvValues[(t * 3 * C + 2 * C)..<((t + 1) * 3 * C)]))
    }
  }
}
