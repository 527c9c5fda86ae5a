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
func accumulatedGradients(_ backend: any Backend, _ gradients: [Tensor], _ rng: inout SplitMix64,
                          backward: () -> Void) -> [[Float]] {
  let before = gradients.map { g in rng.normals(g.count) }
  for (g, values) in zip(gradients, before) { backend.write(values, to: g) }
  backward()
  return zip(gradients, before).map { g, values in zip(backend.read(g), values).map { $0 - $1 } }
}

func expectGradient(_ name: String, analytic: [Float], numeric: [Double], rtol: Double, atol: Double,
                    sourceLocation: SourceLocation = #_sourceLocation) {
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
      ref.layerNormBackward(dinp: dinp, dweight: dweight, dbias: dbias, dout: dout, inp: inp, weight: weight,
                            mean: mean, rstd: rstd, N: N, C: C)
    }
    expectGradient("inp", analytic: grads[0], numeric: numericGradient(of: inp, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
    expectGradient("weight", analytic: grads[1], numeric: numericGradient(of: weight, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
    expectGradient("bias", analytic: grads[2], numeric: numericGradient(of: bias, h: 1e-2, loss: loss), rtol: 1e-2, atol: 2e-3)
  }
}
