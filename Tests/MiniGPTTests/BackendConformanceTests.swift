// Every kernel of every backend in conformanceBackends() (Tests/TestSupport/Backends.swift)
// against ReferenceBackend on the same seeded inputs, forward and backward, including awkward
// shapes: C not a multiple of 16, T = 1, N = 1, odd V. Gradient buffers start from random values
// so accumulation (+=) is checked too. Tolerances (numpy.allclose: |a − e| ≤ atol + rtol·|e|):
// element-wise kernels and LayerNorm 1e-5; matrix products (matmul, attention) 1e-4 (Float
// sums in another order than the reference's Double sums). Measured errors are 3–30× below these.
import MiniGPT
import TestSupport
import Testing

/// The same tensors on the reference backend and on the backend under test.
struct Twin {
  let ref: Tensor
  let dut: Tensor
}

final class Twins {
  let ref = ReferenceBackend()
  let dut: any Backend
  var rng: SplitMix64

  init(_ dut: any Backend, seed: UInt64) {
    self.dut = dut
    rng = SplitMix64(seed: seed)
  }

  func values(_ values: [Float], _ shape: [Int]) throws -> Twin {
    Twin(ref: try ref.makeTensor(values, shape: shape), dut: try dut.makeTensor(values, shape: shape))
  }
  func random(_ shape: [Int], mean: Float = 0, std: Float = 1) throws -> Twin {
    try values(rng.normals(shape.reduce(1, *), mean: mean, std: std), shape)
  }
  func zeros(_ shape: [Int]) throws -> Twin {
    Twin(ref: try ref.makeTensor(shape), dut: try dut.makeTensor(shape))
  }
  func expectClose(_ t: Twin, rtol: Double, atol: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    dut.synchronize()
    assertClose(
      dut.read(t.dut), ref.read(t.ref), rtol: rtol, atol: atol, "\(dut.deviceName) \(what)",
      sourceLocation: sourceLocation)
  }
}

@Suite("Backend conformance with the reference backend")
struct BackendConformanceTests {
  @Test(arguments: conformanceBackends())
  func memoryOperations(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let storage = try backend.makeStorage(count: 40)
    let whole = Tensor(storage: storage, shape: [40])
    #expect(backend.read(whole) == [Float](repeating: 0, count: 40), "new storage is zero-filled")
    let values = (0..<40).map { Float($0) - 7.5 }
    backend.write(values, to: whole)
    #expect(backend.read(whole) == values)
    backend.fill(whole.view(start: 3, shape: [5]), with: 2.5)
    #expect(backend.read(whole.view(start: 2, shape: [7])) == [-5.5, 2.5, 2.5, 2.5, 2.5, 2.5, 0.5])
    backend.copy(whole.view(start: 20, shape: [4, 5]), to: whole.view(start: 0, shape: [20]))
    #expect(backend.read(whole.view(start: 0, shape: [20])) == Array(values[20..<40]))
    #expect(throws: EngineError.self) { _ = try backend.makeStorage(count: -1) }
  }

  @Test(arguments: conformanceBackends())
  func encoder(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 100)
    for (B, T, C, V) in [(2, 3, 20, 7), (1, 1, 5, 3), (3, 17, 48, 11)] {
      let tokens = (0..<(B * T)).map { _ in Int32(s.rng.nextInt(below: V)) }
      let wte = try s.random([V, C]), wpe = try s.random([T + 2, C]), out = try s.zeros([B, T, C])
      s.ref.encoderForward(out: out.ref, tokens: tokens, wte: wte.ref, wpe: wpe.ref, B: B, T: T, C: C, positionOffset: 2)
      s.dut.encoderForward(out: out.dut, tokens: tokens, wte: wte.dut, wpe: wpe.dut, B: B, T: T, C: C, positionOffset: 2)
      s.expectClose(out, rtol: 1e-5, atol: 1e-5, "encoderForward out B\(B) T\(T) C\(C)")
      let dout = try s.random([B, T, C]), dwte = try s.random([V, C]), dwpe = try s.random([T + 2, C])
      s.ref.encoderBackward(dwte: dwte.ref, dwpe: dwpe.ref, dout: dout.ref, tokens: tokens, B: B, T: T, C: C)
      s.dut.encoderBackward(dwte: dwte.dut, dwpe: dwpe.dut, dout: dout.dut, tokens: tokens, B: B, T: T, C: C)
      s.expectClose(dwte, rtol: 1e-5, atol: 1e-5, "encoderBackward dwte B\(B) T\(T) C\(C)")
      s.expectClose(dwpe, rtol: 1e-5, atol: 1e-5, "encoderBackward dwpe B\(B) T\(T) C\(C)")
    }
  }

  @Test(arguments: conformanceBackends())
  func layerNorm(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 101)
    // std 0.01 makes the variance (1e-4) comparable with eps = 1e-5, so a wrong eps shows; its mean
    // is 0 because x − mean of Float inputs near 3 would lose 4 digits to cancellation.
    for (N, C, mean, std) in [(5, 20, 3, 2), (1, 7, 3, 1), (33, 64, 0, 0.01), (4, 768, 3, 2)] as [(Int, Int, Float, Float)] {
      let inp = try s.random([N, C], mean: mean, std: std), weight = try s.random([C]), bias = try s.random([C])
      let out = try s.zeros([N, C]), mean = try s.zeros([N]), rstd = try s.zeros([N])
      s.ref.layerNormForward(
        out: out.ref, mean: mean.ref, rstd: rstd.ref, inp: inp.ref, weight: weight.ref,
        bias: bias.ref, N: N, C: C)
      s.dut.layerNormForward(
        out: out.dut, mean: mean.dut, rstd: rstd.dut, inp: inp.dut, weight: weight.dut,
        bias: bias.dut, N: N, C: C)
      s.expectClose(out, rtol: 1e-5, atol: 1e-5, "layerNormForward out N\(N) C\(C)")
      s.expectClose(mean, rtol: 1e-5, atol: 1e-5, "layerNormForward mean N\(N) C\(C)")
      s.expectClose(rstd, rtol: 1e-5, atol: 1e-5, "layerNormForward rstd N\(N) C\(C)")
      let dout = try s.random([N, C]), dinp = try s.random([N, C]), dweight = try s.random([C]), dbias = try s.random([C])
      s.ref.layerNormBackward(
        dinp: dinp.ref, dweight: dweight.ref, dbias: dbias.ref, dout: dout.ref, inp: inp.ref,
        weight: weight.ref, mean: mean.ref, rstd: rstd.ref, N: N, C: C)
      s.dut.layerNormBackward(
        dinp: dinp.dut, dweight: dweight.dut, dbias: dbias.dut, dout: dout.dut, inp: inp.dut,
        weight: weight.dut, mean: mean.dut, rstd: rstd.dut, N: N, C: C)
      s.expectClose(dinp, rtol: 1e-5, atol: 1e-5, "layerNormBackward dinp N\(N) C\(C)")
      s.expectClose(dweight, rtol: 1e-5, atol: 1e-5, "layerNormBackward dweight N\(N) C\(C)")
      s.expectClose(dbias, rtol: 1e-5, atol: 1e-5, "layerNormBackward dbias N\(N) C\(C)")
    }
  }

  // N = 1 takes the CPU matrix-vector path (OC = 1100 splits it over 2 threads), N ≤ 16 the
  // skinny SIMD kernel (odd N and OC leave remainders to its 2 × 2 blocks), N = 17 sgemm again.
  @Test(arguments: conformanceBackends(), [true, false])
  func matmul(_ factory: BackendFactory, withBias: Bool) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: withBias ? 102 : 103)
    let shapes = [
      (5, 20, 17), (1, 37, 53), (1, 24, 1100), (3, 37, 1030), (16, 48, 7), (2, 40, 3), (17, 20, 9), (64, 48, 96), (130, 33, 71),
    ]
    for (N, C, OC) in shapes {
      let inp = try s.random([N, C]), weight = try s.random([OC, C]), out = try s.zeros([N, OC])
      let bias = withBias ? try s.random([OC]) : nil
      s.ref.matmulForward(out: out.ref, inp: inp.ref, weight: weight.ref, bias: bias?.ref, N: N, C: C, OC: OC)
      s.dut.matmulForward(out: out.dut, inp: inp.dut, weight: weight.dut, bias: bias?.dut, N: N, C: C, OC: OC)
      s.expectClose(out, rtol: 1e-4, atol: 1e-4, "matmulForward N\(N) C\(C) OC\(OC)")
      let dout = try s.random([N, OC]), dinp = try s.random([N, C]), dweight = try s.random([OC, C])
      let dbias = withBias ? try s.random([OC]) : nil
      s.ref.matmulBackward(
        dinp: dinp.ref, dweight: dweight.ref, dbias: dbias?.ref, dout: dout.ref, inp: inp.ref,
        weight: weight.ref, N: N, C: C, OC: OC)
      s.dut.matmulBackward(
        dinp: dinp.dut, dweight: dweight.dut, dbias: dbias?.dut, dout: dout.dut, inp: inp.dut,
        weight: weight.dut, N: N, C: C, OC: OC)
      s.expectClose(dinp, rtol: 1e-4, atol: 1e-4, "matmulBackward dinp N\(N) C\(C) OC\(OC)")
      s.expectClose(dweight, rtol: 1e-4, atol: 1e-4, "matmulBackward dweight N\(N) C\(C) OC\(OC)")
      if let dbias { s.expectClose(dbias, rtol: 1e-4, atol: 1e-4, "matmulBackward dbias N\(N) C\(C) OC\(OC)") }
    }
  }

  @Test(arguments: conformanceBackends())
  func attention(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 104)
    // T = 150 spans three 64-row causal blocks of the CPU backend, the last one partial.
    for (B, T, C, NH) in [(2, 5, 12, 3), (1, 1, 8, 2), (3, 19, 40, 4), (2, 33, 32, 2), (1, 150, 16, 2)] {
      let qkv = try s.random([B, T, 3 * C]), out = try s.zeros([B, T, C])
      let preatt = try s.zeros([B, NH, T, T]), att = try s.zeros([B, NH, T, T])
      s.ref.attentionForward(out: out.ref, preatt: preatt.ref, att: att.ref, qkv: qkv.ref, B: B, T: T, C: C, NH: NH)
      s.dut.attentionForward(out: out.dut, preatt: preatt.dut, att: att.dut, qkv: qkv.dut, B: B, T: T, C: C, NH: NH)
      let shape = "B\(B) T\(T) C\(C) NH\(NH)"
      s.expectClose(out, rtol: 1e-4, atol: 1e-5, "attentionForward out \(shape)")
      s.expectClose(preatt, rtol: 1e-4, atol: 1e-5, "attentionForward preatt \(shape)")  // −∞ must match exactly
      s.expectClose(att, rtol: 1e-4, atol: 1e-6, "attentionForward att \(shape)")
      let dout = try s.random([B, T, C]), dqkv = try s.random([B, T, 3 * C])
      let dpreatt = try s.zeros([B, NH, T, T]), datt = try s.zeros([B, NH, T, T])
      s.ref.attentionBackward(
        dqkv: dqkv.ref, dpreatt: dpreatt.ref, datt: datt.ref, dout: dout.ref, qkv: qkv.ref,
        att: att.ref, B: B, T: T, C: C, NH: NH)
      s.dut.attentionBackward(
        dqkv: dqkv.dut, dpreatt: dpreatt.dut, datt: datt.dut, dout: dout.dut, qkv: qkv.dut,
        att: att.dut, B: B, T: T, C: C, NH: NH)
      s.expectClose(dqkv, rtol: 1e-4, atol: 1e-4, "attentionBackward dqkv \(shape)")
    }
  }

  @Test(arguments: conformanceBackends())
  func gelu(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 105)
    for N in [1, 17, 1000, 40_001] {
      // Wide inputs reach both saturated tails; a few exact extremes are appended.
      var values = s.rng.normals(N, std: 3)
      for (i, x) in [0, -20, 20, -0.5].enumerated() where i < N { values[N - 1 - i] = Float(x) }
      let inp = try s.values(values, [N]), out = try s.zeros([N])
      s.ref.geluForward(out: out.ref, inp: inp.ref, N: N)
      s.dut.geluForward(out: out.dut, inp: inp.dut, N: N)
      s.expectClose(out, rtol: 1e-5, atol: 1e-5, "geluForward N\(N)")
      let dout = try s.random([N]), dinp = try s.random([N])
      s.ref.geluBackward(dinp: dinp.ref, inp: inp.ref, dout: dout.ref, N: N)
      s.dut.geluBackward(dinp: dinp.dut, inp: inp.dut, dout: dout.dut, N: N)
      s.expectClose(dinp, rtol: 1e-5, atol: 1e-5, "geluBackward N\(N)")
    }
  }

  @Test(arguments: conformanceBackends())
  func residual(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 106)
    for N in [1, 31, 70_001] {
      let a = try s.random([N]), b = try s.random([N]), out = try s.zeros([N])
      s.ref.residualForward(out: out.ref, a: a.ref, b: b.ref, N: N)
      s.dut.residualForward(out: out.dut, a: a.dut, b: b.dut, N: N)
      s.expectClose(out, rtol: 1e-6, atol: 1e-6, "residualForward N\(N)")
      let dout = try s.random([N]), da = try s.random([N]), db = try s.random([N])
      s.ref.residualBackward(da: da.ref, db: db.ref, dout: dout.ref, N: N)
      s.dut.residualBackward(da: da.dut, db: db.dut, dout: dout.dut, N: N)
      s.expectClose(da, rtol: 1e-6, atol: 1e-6, "residualBackward da N\(N)")
      s.expectClose(db, rtol: 1e-6, atol: 1e-6, "residualBackward db N\(N)")
    }
  }

  @Test(arguments: conformanceBackends())
  func softmaxCrossEntropy(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 107)
    for (N, V, withTargets) in [(3, 7, true), (1, 1, true), (5, 8193, true), (2, 50, false), (17, 33, true)] {
      let targets = (0..<N).map { _ in Int32(s.rng.nextInt(below: V)) }
      let logits = try s.random([N, V], std: 4), probs = try s.zeros([N, V]), losses = try s.zeros([N])
      s.ref.softmaxCrossEntropyForward(
        losses: losses.ref, probs: probs.ref, logits: logits.ref,
        targets: withTargets ? targets : nil, N: N, V: V)
      s.dut.softmaxCrossEntropyForward(
        losses: losses.dut, probs: probs.dut, logits: logits.dut,
        targets: withTargets ? targets : nil, N: N, V: V)
      s.expectClose(probs, rtol: 1e-5, atol: 1e-7, "softmaxCrossEntropyForward probs N\(N) V\(V)")
      if withTargets { s.expectClose(losses, rtol: 1e-5, atol: 1e-5, "softmaxCrossEntropyForward losses N\(N) V\(V)") }
      let dlogits = try s.random([N, V])
      s.ref.softmaxCrossEntropyBackward(dlogits: dlogits.ref, probs: probs.ref, targets: targets, dloss: 0.25, N: N, V: V)
      s.dut.softmaxCrossEntropyBackward(dlogits: dlogits.dut, probs: probs.dut, targets: targets, dloss: 0.25, N: N, V: V)
      s.expectClose(dlogits, rtol: 1e-5, atol: 1e-6, "softmaxCrossEntropyBackward N\(N) V\(V)")
    }
  }

  // Three steps so the bias corrections and the m, v recurrences are exercised; the parameter
  // tensor is a view at an offset into a larger storage, as the model's flat buffer is.
  @Test(arguments: conformanceBackends())
  func adamW(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 108)
    for count in [1, 37, 100_003] {
      let params = try s.random([count + 5]), m = try s.zeros([count]), v = try s.zeros([count])
      let p = Twin(ref: params.ref.view(start: 5, shape: [count]), dut: params.dut.view(start: 5, shape: [count]))
      for step in 1...3 {
        let grads = try s.random([count], std: 0.1)
        for (backend, t) in [(s.ref as any Backend, \Twin.ref), (s.dut, \Twin.dut)] {
          backend.adamWUpdate(
            params: p[keyPath: t], grads: grads[keyPath: t], m: m[keyPath: t], v: v[keyPath: t],
            count: count, learningRate: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8,
            weightDecay: 0.1, gradScale: 0.5, step: step)
        }
        s.expectClose(params, rtol: 1e-5, atol: 1e-6, "adamW params count \(count) step \(step)")
        s.expectClose(m, rtol: 1e-5, atol: 1e-7, "adamW m count \(count) step \(step)")
        s.expectClose(v, rtol: 1e-5, atol: 1e-9, "adamW v count \(count) step \(step)")
      }
    }
  }

  @Test(arguments: conformanceBackends())
  func sumOfSquares(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 109)
    for count in [1, 17, 3 * 4096 + 5, 300_001] {
      let x = try s.random([count])
      let expected = s.ref.sumOfSquares(x.ref), actual = s.dut.sumOfSquares(x.dut)
      #expect(abs(actual - expected) <= 1e-5 * expected, "\(s.dut.deviceName) sumOfSquares count \(count)")
    }
  }

  // Prefill 5 rows, then decode one row at a time, then a 3-row chunk; caches and outputs must
  // match the reference at every step.
  @Test(arguments: conformanceBackends())
  func kvCacheDecoding(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }
    let s = Twins(backend, seed: 110)
    for (C, NH, maxT) in [(12, 3, 11), (40, 2, 20)] {
      let kCache = try s.zeros([maxT, C]), vCache = try s.zeros([maxT, C])
      var position = 0
      for T in [5, 1, 1, 3, 1] where position + T <= maxT {
        let qkv = try s.random([T, 3 * C]), out = try s.zeros([T, C]), att = try s.zeros([NH, T, maxT])
        for (backend, t) in [(s.ref as any Backend, \Twin.ref), (s.dut, \Twin.dut)] {
          backend.kvCacheWrite(
            kCache: kCache[keyPath: t], vCache: vCache[keyPath: t], qkv: qkv[keyPath: t],
            T: T, C: C, position: position)
          backend.attentionCachedForward(
            out: out[keyPath: t], att: att[keyPath: t], qkv: qkv[keyPath: t],
            kCache: kCache[keyPath: t], vCache: vCache[keyPath: t], T: T, C: C, NH: NH,
            position: position, maxT: maxT)
        }
        let step = "C\(C) NH\(NH) position \(position) T\(T)"
        s.expectClose(kCache, rtol: 0, atol: 0, "kvCacheWrite kCache \(step)")
        s.expectClose(vCache, rtol: 0, atol: 0, "kvCacheWrite vCache \(step)")
        s.expectClose(out, rtol: 1e-4, atol: 1e-5, "attentionCachedForward out \(step)")
        s.expectClose(att, rtol: 1e-4, atol: 1e-6, "attentionCachedForward att \(step)")
        position += T
      }
    }
  }
}
