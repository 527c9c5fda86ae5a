// Finite-difference gradient checks for every backward kernel of the reference backend, plus
// hand-worked examples. The loss is L = Σ w·out with random w, so dL/dout = w is the dout fed to
// the backward kernel; each input element x is nudged to x ± h and (L₊ − L₋)/(x₊ − x₋) is compared
// with the analytic gradient. Kernels are Float32, L is summed in Double.
import MiniGPT
import TestSupport
import Testing

/// L = Σ w·t in Double.
func weightedSum(_ backend: any Backend, _ t: Tensor, _ w: [Float]) -> Double {
  let values = backend.read(t)
  var sum = 0.0
  for i in 0..<values.count where values[i].isFinite || w[i] != 0 { sum += Double(w[i]) * Double(values[i]) }
  return sum
}

/// Central differences of `loss` with respect to every element of `input` (a host tensor).
/// The denominator is the step actually taken in Float, so rounding of x ± h does not bias it.
func numericGradient(of input: Tensor, h: Float, loss: () -> Double) -> [Double] {
  let p = input.hostPointer
  return (0..<input.count).map { i in
    let x = p[i]
    let plus = x + h, minus = x - h
    p[i] = plus
    let lossPlus = loss()
    p[i] = minus
    let lossMinus = loss()
    p[i] = x
    return (lossPlus - lossMinus) / (Double(plus) - Double(minus))
  }
}

/// Runs `backward` with gradient buffers pre-filled with random values and returns what it added,
/// so the check also proves the kernel accumulates (+=) instead of overwriting.
func accumulatedGradients(
  _ backend: any Backend, _ gradients: [Tensor], _ rng: inout SplitMix64,
  backward: () -> Void
) -> [[Float]] {
  let before = gradients.map { g in rng.normals(g.count) }
  for (g, values) in zip(gradients, before) { backend.write(values, to: g) }
  backward()
  return zip(gradients, before).map { g, values in zip(backend.read(g), values).map { $0 - $1 } }
}

func expectGradient(
  _ name: String, analytic: [Float], numeric: [Double], rtol: Double, atol: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  assertClose(analytic, numeric.map { Float($0) }, rtol: rtol, atol: atol, "d\(name)", sourceLocation: sourceLocation)
}

@Suite("Gradient checks (reference backend)")
struct GradientCheckTests {
  let ref = ReferenceBackend()

  // h = 1e-2: LayerNorm is smooth, truncation error is h²/6·|f'''| ≈ 1e-5 here, Float rounding of
  // the C outputs of a row adds ≈ √C·6e-8/2h ≈ 1e-5. Tolerance 2e-3 abs + 1e-2 rel leaves ~50× margin
  // while a wrong term of the formula (e.g. dropping the mean(g·x̂) term) is off by O(0.1–1).
  @Test func layerNormBackward() throws {
    var rng = SplitMix64(seed: 1)
    let N = 3, C = 7
    let inp = try ref.makeTensor(rng.normals(N * C, mean: 0.5, std: 2), shape: [N, C])
    let weight = try randomTensor(ref, [C], &rng), bias = try randomTensor(ref, [C], &rng)
    let out = try ref.makeTensor([N, C]), mean = try ref.makeTensor([N]), rstd = try ref.makeTensor([N])
    let w = rng.normals(N * C)
    func loss() -> Double {
      ref.layerNormForward(out: out, mean: mean, rstd: rstd, inp: inp, weight: weight, bias: bias, N: N, C: C)
      return weightedSum(ref, out, w)
    }
    _ = loss()
    let dout = try tensor(ref, w, [N, C])
    let dinp = try ref.makeTensor([N, C]), dweight = try ref.makeTensor([C]), dbias = try ref.makeTensor([C])
    let grads = accumulatedGradients(ref, [dinp, dweight, dbias], &rng) {
      ref.layerNormBackward(
        dinp: dinp, dweight: dweight, dbias: dbias, dout: dout, inp: inp, weight: weight,
        mean: mean, rstd: rstd, N: N, C: C)
    }
    expectGradient("inp", analytic: grads[0], numeric: numericGradient(of: inp, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
    expectGradient(
      "weight", analytic: grads[1], numeric: numericGradient(of: weight, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
    expectGradient("bias", analytic: grads[2], numeric: numericGradient(of: bias, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
  }

  // Encoder: linear in wte and wpe, so a central difference with h = 1 is exact up to the Float
  // rounding of one sum per output (≈ 1e-7). Token 3 appears twice: its dwte row must get both.
  @Test func encoderBackward() throws {
    var rng = SplitMix64(seed: 2)
    let B = 2, T = 3, C = 5, V = 6
    let tokens: [Int32] = [3, 0, 3, 5, 1, 2]
    let wte = try randomTensor(ref, [V, C], &rng), wpe = try randomTensor(ref, [T + 1, C], &rng)
    let out = try ref.makeTensor([B, T, C])
    let w = rng.normals(B * T * C)
    func loss() -> Double {
      ref.encoderForward(out: out, tokens: tokens, wte: wte, wpe: wpe, B: B, T: T, C: C, positionOffset: 0)
      return weightedSum(ref, out, w)
    }
    let dout = try tensor(ref, w, [B, T, C])
    let dwte = try ref.makeTensor([V, C]), dwpe = try ref.makeTensor([T + 1, C])
    let grads = accumulatedGradients(ref, [dwte, dwpe], &rng) {
      ref.encoderBackward(dwte: dwte, dwpe: dwpe, dout: dout, tokens: tokens, B: B, T: T, C: C)
    }
    expectGradient("wte", analytic: grads[0], numeric: numericGradient(of: wte, h: 1, loss: loss), rtol: 1e-5, atol: 1e-5)
    expectGradient("wpe", analytic: grads[1], numeric: numericGradient(of: wpe, h: 1, loss: loss), rtol: 1e-5, atol: 1e-5)
  }

  // Matmul: linear in each of inp, weight, bias, so h = 0.5 is exact up to rounding: each output is
  // a Double dot product rounded once to Float (relative 6e-8, |out| ≈ √C), so errors stay < 1e-5;
  // tolerance 1e-4 abs + rel.
  @Test(arguments: [true, false]) func matmulBackward(withBias: Bool) throws {
    var rng = SplitMix64(seed: withBias ? 3 : 4)
    let N = 4, C = 5, OC = 3
    let inp = try randomTensor(ref, [N, C], &rng), weight = try randomTensor(ref, [OC, C], &rng)
    let bias = withBias ? try randomTensor(ref, [OC], &rng) : nil
    let out = try ref.makeTensor([N, OC])
    let w = rng.normals(N * OC)
    func loss() -> Double {
      ref.matmulForward(out: out, inp: inp, weight: weight, bias: bias, N: N, C: C, OC: OC)
      return weightedSum(ref, out, w)
    }
    let dout = try tensor(ref, w, [N, OC])
    let dinp = try ref.makeTensor([N, C]), dweight = try ref.makeTensor([OC, C])
    let dbias = withBias ? try ref.makeTensor([OC]) : nil
    let grads = accumulatedGradients(ref, [dinp, dweight] + (dbias.map { [$0] } ?? []), &rng) {
      ref.matmulBackward(
        dinp: dinp, dweight: dweight, dbias: dbias, dout: dout, inp: inp, weight: weight,
        N: N, C: C, OC: OC)
    }
    expectGradient("inp", analytic: grads[0], numeric: numericGradient(of: inp, h: 0.5, loss: loss), rtol: 1e-4, atol: 1e-4)
    expectGradient("weight", analytic: grads[1], numeric: numericGradient(of: weight, h: 0.5, loss: loss), rtol: 1e-4, atol: 1e-4)
    if let bias {
      expectGradient("bias", analytic: grads[2], numeric: numericGradient(of: bias, h: 0.5, loss: loss), rtol: 1e-4, atol: 1e-4)
    }
  }

  // Attention: smooth in q and k (softmax), linear in v. h = 1e-2 gives truncation ≈ 1e-5 and
  // rounding ≈ 1e-5 (one output row per head changes); tolerance 1e-3 abs + 1e-2 rel. A missing
  // softmax-Jacobian term or a wrong scale is off by O(0.1). T = 4 with the mask exercised on every row.
  @Test func attentionBackward() throws {
    var rng = SplitMix64(seed: 5)
    let B = 2, T = 4, C = 6, NH = 2
    let qkv = try randomTensor(ref, [B, T, 3 * C], &rng)
    let out = try ref.makeTensor([B, T, C])
    let preatt = try ref.makeTensor([B, NH, T, T]), att = try ref.makeTensor([B, NH, T, T])
    let w = rng.normals(B * T * C)
    func loss() -> Double {
      ref.attentionForward(out: out, preatt: preatt, att: att, qkv: qkv, B: B, T: T, C: C, NH: NH)
      return weightedSum(ref, out, w)
    }
    _ = loss()
    let dout = try tensor(ref, w, [B, T, C])
    let dqkv = try ref.makeTensor([B, T, 3 * C])
    let dpreatt = try ref.makeTensor([B, NH, T, T]), datt = try ref.makeTensor([B, NH, T, T])
    let grads = accumulatedGradients(ref, [dqkv], &rng) {
      ref.attentionBackward(
        dqkv: dqkv, dpreatt: dpreatt, datt: datt, dout: dout, qkv: qkv, att: att,
        B: B, T: T, C: C, NH: NH)
    }
    expectGradient("qkv", analytic: grads[0], numeric: numericGradient(of: qkv, h: 1e-2, loss: loss), rtol: 1e-2, atol: 1e-3)
  }

  // GELU: element-wise, so each difference involves one output. h = 1e-3: truncation
  // h²/6·|f'''| < 1e-6, rounding 6e-8·|x|/h < 1e-4 for |x| ≤ 4; tolerance 3e-4 abs + 1e-3 rel.
  // Inputs span the curved region (−4…4) where the tanh term matters.
  @Test func geluBackward() throws {
    var rng = SplitMix64(seed: 6)
    let N = 40
    let inp = try tensor(ref, rng.uniforms(N, in: -4...4), [N])
    let out = try ref.makeTensor([N])
    let w = rng.normals(N)
    func loss() -> Double {
      ref.geluForward(out: out, inp: inp, N: N)
      return weightedSum(ref, out, w)
    }
    let dout = try tensor(ref, w, [N]), dinp = try ref.makeTensor([N])
    let grads = accumulatedGradients(ref, [dinp], &rng) { ref.geluBackward(dinp: dinp, inp: inp, dout: dout, N: N) }
    expectGradient("inp", analytic: grads[0], numeric: numericGradient(of: inp, h: 1e-3, loss: loss), rtol: 1e-3, atol: 3e-4)
  }

  // Residual: linear, h = 1, exact up to one Float rounding per output; tolerance 1e-5.
  @Test func residualBackward() throws {
    var rng = SplitMix64(seed: 7)
    let N = 9
    let a = try randomTensor(ref, [N], &rng), b = try randomTensor(ref, [N], &rng), out = try ref.makeTensor([N])
    let w = rng.normals(N)
    func loss() -> Double {
      ref.residualForward(out: out, a: a, b: b, N: N)
      return weightedSum(ref, out, w)
    }
    let dout = try tensor(ref, w, [N]), da = try ref.makeTensor([N]), db = try ref.makeTensor([N])
    let grads = accumulatedGradients(ref, [da, db], &rng) { ref.residualBackward(da: da, db: db, dout: dout, N: N) }
    expectGradient("a", analytic: grads[0], numeric: numericGradient(of: a, h: 1, loss: loss), rtol: 1e-5, atol: 1e-5)
    expectGradient("b", analytic: grads[1], numeric: numericGradient(of: b, h: 1, loss: loss), rtol: 1e-5, atol: 1e-5)
  }

  // Softmax + cross-entropy with the mean loss L = (1/N)·Σ losses, i.e. dloss = 1/N. h = 1e-2:
  // truncation ≈ 1e-6, rounding of N Float losses ≈ 2e-7/h; tolerance 1e-4 abs + 1e-3 rel. V = 7
  // (odd) and logits of std 3 so some probabilities are small.
  @Test func softmaxCrossEntropyBackward() throws {
    var rng = SplitMix64(seed: 8)
    let N = 3, V = 7
    let targets: [Int32] = [0, 6, 3]
    let logits = try randomTensor(ref, [N, V], &rng, std: 3)
    let losses = try ref.makeTensor([N]), probs = try ref.makeTensor([N, V])
    let dloss = Float(1) / Float(N)
    func loss() -> Double {
      ref.softmaxCrossEntropyForward(losses: losses, probs: probs, logits: logits, targets: targets, N: N, V: V)
      return weightedSum(ref, losses, [Float](repeating: dloss, count: N))
    }
    _ = loss()
    let dlogits = try ref.makeTensor([N, V])
    let grads = accumulatedGradients(ref, [dlogits], &rng) {
      ref.softmaxCrossEntropyBackward(dlogits: dlogits, probs: probs, targets: targets, dloss: dloss, N: N, V: V)
    }
    expectGradient(
      "logits", analytic: grads[0], numeric: numericGradient(of: logits, h: 1e-2, loss: loss), rtol: 1e-3, atol: 1e-4)
  }
}
