// Micro benchmark of the CPU backend kernels at the `small` training shapes and GPT-2 124M
// decode shapes (not a test; run through scripts/kernel-bench.sh). Prints ms per call.
// Modes: train, decode, prefill (small-M matmuls), gemv / gemm / smallm / interleave (BLAS variants),
// bw / bw2 (DRAM read bandwidth, dot-product streams).
import Foundation
import MiniGPT
import CBLAS

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func time(_ name: String, reps: Int = 10, _ body: () -> Void) -> Double {
  body(); body()
  var samples: [Double] = []
  for _ in 0..<reps {
    let t0 = now()
    body()
    samples.append(now() - t0)
  }
  samples.sort()
  // The machine is shared: the minimum is the closest to an unloaded run; the median is printed too.
  let ms = samples[0] * 1000
  print(name.padding(toLength: 44, withPad: " ", startingAt: 0), String(format: "%9.3f ms (median %.3f)", ms, samples[samples.count / 2] * 1000))
  return ms
}

let args = CommandLine.arguments
let threads = args.count > 1 ? Int(args[1])! : 1
let mode = args.count > 2 ? args[2] : "train"
let be = CPUBackend(threads: threads)
var rng = SplitMix64(seed: 1)
func rand(_ shape: [Int], std: Float = 1) -> Tensor { try! be.makeTensor(rng.normals(shape.reduce(1, *), std: std), shape: shape) }
func zeros(_ shape: [Int]) -> Tensor { try! be.makeTensor(shape) }
print(be.deviceName, mode)

if mode == "train" {
  let B = 8, T = 256, C = 256, NH = 8, V = 8192, N = B * T, L = 6
  var fwd = 0.0, bwd = 0.0
  let tokens = (0..<N).map { _ in Int32(rng.nextInt(below: V)) }
  let wte = rand([V, C]), wpe = rand([T, C]), x = rand([N, C]), out = zeros([N, C])
  fwd += time("encoderForward") { be.encoderForward(out: out, tokens: tokens, wte: wte, wpe: wpe, B: B, T: T, C: C, positionOffset: 0) }
  bwd += time("encoderBackward") { be.encoderBackward(dwte: wte, dwpe: wpe, dout: x, tokens: tokens, B: B, T: T, C: C) }
  let w = rand([C]), b = rand([C]), mean = zeros([N]), rstd = zeros([N]), dx = zeros([N, C])
  let lnF = time("layerNormForward (N,C)") { be.layerNormForward(out: out, mean: mean, rstd: rstd, inp: x, weight: w, bias: b, N: N, C: C) }
  let lnB = time("layerNormBackward") { be.layerNormBackward(dinp: dx, dweight: w, dbias: b, dout: out, inp: x, weight: w, mean: mean, rstd: rstd, N: N, C: C) }
  fwd += lnF * Double(2 * L + 1); bwd += lnB * Double(2 * L + 1)
  for (name, Cin, OC) in [("qkv", C, 3 * C), ("attproj", C, C), ("fc", C, 4 * C), ("fcproj", 4 * C, C)] {
    let inp = rand([N, Cin]), wt = rand([OC, Cin], std: 0.02), bias = rand([OC]), o = rand([N, OC])
    let dinp = zeros([N, Cin]), dw = zeros([OC, Cin]), db = zeros([OC])
    let f = time("matmulForward \(name) \(N)x\(Cin)->\(OC)") { be.matmulForward(out: o, inp: inp, weight: wt, bias: bias, N: N, C: Cin, OC: OC) }
    let bw = time("matmulBackward \(name)") { be.matmulBackward(dinp: dinp, dweight: dw, dbias: db, dout: o, inp: inp, weight: wt, N: N, C: Cin, OC: OC) }
    let gf = 2.0 * Double(N * Cin * OC) / 1e6
    print(String(format: "    %.0f / %.0f GFLOP/s", gf / f, 2 * gf / bw))
    fwd += f * Double(L); bwd += bw * Double(L)
  }
  let qkv = rand([B, T, 3 * C]), preatt = zeros([B, NH, T, T]), att = zeros([B, NH, T, T])
  let dqkv = zeros([B, T, 3 * C]), dpre = zeros([B, NH, T, T]), datt = zeros([B, NH, T, T])
  fwd += Double(L) * time("attentionForward") { be.attentionForward(out: out, preatt: preatt, att: att, qkv: qkv, B: B, T: T, C: C, NH: NH) }
  bwd += Double(L) * time("attentionBackward") { be.attentionBackward(dqkv: dqkv, dpreatt: dpre, datt: datt, dout: out, qkv: qkv, att: att, B: B, T: T, C: C, NH: NH) }
  let h = rand([N * 4 * C]), g = zeros([N * 4 * C]), dh = zeros([N * 4 * C])
  fwd += Double(L) * time("geluForward (N*4C)") { be.geluForward(out: g, inp: h, N: N * 4 * C) }
  bwd += Double(L) * time("geluBackward") { be.geluBackward(dinp: dh, inp: h, dout: g, N: N * 4 * C) }
  let r2 = rand([N * C])
  fwd += Double(2 * L) * time("residualForward (N*C)") { be.residualForward(out: out, a: x, b: r2, N: N * C) }
  bwd += Double(2 * L) * time("residualBackward") { be.residualBackward(da: dx, db: r2, dout: x, N: N * C) }
  let wteT = rand([V, C], std: 0.02), logits = zeros([N, V]), probs = zeros([N, V]), losses = zeros([N]), dlogits = zeros([N, V])
  fwd += time("matmulForward lmhead \(N)x\(C)->\(V)") { be.matmulForward(out: logits, inp: x, weight: wteT, bias: nil, N: N, C: C, OC: V) }
  bwd += time("matmulBackward lmhead") { be.matmulBackward(dinp: dx, dweight: wteT, dbias: nil, dout: logits, inp: x, weight: wteT, N: N, C: C, OC: V) }
  let lg = rand([N, V], std: 2)
  fwd += time("softmaxCrossEntropyForward (N,V)") { be.softmaxCrossEntropyForward(losses: losses, probs: probs, logits: lg, targets: tokens, N: N, V: V) }
  bwd += time("softmaxCrossEntropyBackward") { be.softmaxCrossEntropyBackward(dlogits: dlogits, probs: probs, targets: tokens, dloss: 1 / Float(N), N: N, V: V) }
  let P = GPTConfiguration.small.parameterCount
  let params = rand([P], std: 0.02), grads = rand([P], std: 0.01), m = zeros([P]), v = zeros([P])
  var step = 0
  let adam = time("adamWUpdate (\(P) params)") { step += 1; be.adamWUpdate(params: params, grads: grads, m: m, v: v, count: P, learningRate: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradScale: 1, step: step) }
  let sos = time("sumOfSquares (\(P))") { _ = be.sumOfSquares(grads) }
  let total = fwd + bwd + adam + sos
  print(String(format: "estimated step (kernels only, L=%d): fwd %.1f ms, bwd %.1f ms, total %.1f ms → %.0f tok/s", L, fwd, bwd, total, Double(N) / total * 1000))
} else if mode == "decode" {
  // gpt2 124M decode: one token at position p.
  let C = 768, NH = 12, V = 50257, L = 12, maxT = 1024
  let p = args.count > 3 ? Int(args[3])! : 256
  var total = 0.0
  let x = rand([1, C]), x4 = rand([1, 4 * C])
  for (name, Cin, OC) in [("qkv", C, 3 * C), ("attproj", C, C), ("fc", C, 4 * C), ("fcproj", 4 * C, C)] {
    // distinct weights per layer so nothing stays in cache
    let ws = (0..<L).map { _ in rand([OC, Cin], std: 0.02) }
    let bias = rand([OC]), o = zeros([1, OC])
    var i = 0
    let ms = time("decode matmul \(name) \(Cin)->\(OC)", reps: 36) { be.matmulForward(out: o, inp: Cin == C ? x : x4, weight: ws[i % L], bias: bias, N: 1, C: Cin, OC: OC); i += 1 }
    let gbs: Double = Double(OC * Cin * 4) / ms / 1e6
    print(String(format: "    %.1f GB/s", gbs))
    total += ms * Double(L)
  }
  let wte = rand([V, C], std: 0.02), logits = zeros([1, V])
  let lm = time("decode lm head \(C)->\(V)", reps: 10) { be.matmulForward(out: logits, inp: x, weight: wte, bias: nil, N: 1, C: C, OC: V) }
  print(String(format: "    %.1f GB/s", Double(V * C * 4) / lm / 1e6))
  total += lm
  let kc = rand([maxT, C]), vc = rand([maxT, C]), qkv = rand([1, 3 * C]), att = zeros([NH, 1, maxT]), out = zeros([1, C])
  total += Double(L) * time("attentionCachedForward p=\(p)", reps: 50) { be.attentionCachedForward(out: out, att: att, qkv: qkv, kCache: kc, vCache: vc, T: 1, C: C, NH: NH, position: p, maxT: maxT) }
  let w = rand([C]), mean = zeros([1]), rstd = zeros([1])
  total += Double(2 * L + 1) * time("layerNorm 1 row", reps: 50) { be.layerNormForward(out: out, mean: mean, rstd: rstd, inp: x, weight: w, bias: w, N: 1, C: C) }
  let probs = zeros([1, V]), losses = zeros([1])
  total += time("softmax 1 row V", reps: 20) { be.softmaxCrossEntropyForward(losses: losses, probs: probs, logits: logits, targets: nil, N: 1, V: V) }
  print(String(format: "estimated decode (kernels only): %.2f ms/token → %.1f tok/s", total, 1000 / total))
}

// MARK: gemv experiments
if mode == "gemv" {
  struct P: @unchecked Sendable { let w: UnsafeMutablePointer<Float>; let x: UnsafeMutablePointer<Float>; let y: UnsafeMutablePointer<Float> }
  for (C, OC) in [(768, 2304), (3072, 768), (768, 50257)] {
    let sets = OC > 10000 ? 1 : 12
    let ws = (0..<sets).map { _ in rand([OC, C], std: 0.02) }
    let x = rand([C]), y = zeros([OC])
    var i = 0
    func gbs(_ ms: Double) { print(String(format: "    %.1f GB/s", Double(OC * C * 4) / ms / 1e6)) }
    openblas_set_num_threads(Int32(threads))
    gbs(time("sgemv single call \(C)->\(OC) blas threads \(threads)", reps: 24) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(OC), Int32(C), 1, ws[i % sets].hostPointer, Int32(C), x.hostPointer, 1, 0, y.hostPointer, 1); i += 1 })
    openblas_set_num_threads(1)
    for chunks in [threads, 2 * threads, 4 * threads] {
      gbs(time("sgemv split \(chunks) chunks", reps: 24) {
        let p = P(w: ws[i % sets].hostPointer, x: x.hostPointer, y: y.hostPointer); i += 1
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
          let lo = c * OC / chunks, hi = (c + 1) * OC / chunks
          cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(hi - lo), Int32(C), 1, p.w + lo * C, Int32(C), p.x, 1, 0, p.y + lo, 1)
        }
      })
    }
    // hand SIMD: 4 rows at a time
    for chunks in [threads, 4 * threads] {
      gbs(time("simd gemv \(chunks) chunks", reps: 24) {
        let p = P(w: ws[i % sets].hostPointer, x: x.hostPointer, y: y.hostPointer); i += 1
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
          let lo = c * OC / chunks, hi = (c + 1) * OC / chunks
          var r = lo
          while r + 4 <= hi {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            let w0 = p.w + r * C, w1 = w0 + C, w2 = w1 + C, w3 = w2 + C
            var k = 0
            while k + 16 <= C {
              let xv = UnsafeRawPointer(p.x + k).loadUnaligned(as: SIMD16<Float>.self)
              a0 += UnsafeRawPointer(w0 + k).loadUnaligned(as: SIMD16<Float>.self) * xv
              a1 += UnsafeRawPointer(w1 + k).loadUnaligned(as: SIMD16<Float>.self) * xv
              a2 += UnsafeRawPointer(w2 + k).loadUnaligned(as: SIMD16<Float>.self) * xv
              a3 += UnsafeRawPointer(w3 + k).loadUnaligned(as: SIMD16<Float>.self) * xv
              k += 16
            }
            p.y[r] = a0.sum(); p.y[r + 1] = a1.sum(); p.y[r + 2] = a2.sum(); p.y[r + 3] = a3.sum()
            r += 4
          }
          while r < hi {
            var s: Float = 0
            for k in 0..<C { s += p.w[r * C + k] * p.x[k] }
            p.y[r] = s
            r += 1
          }
        }
      })
    }
  }
}
if mode == "bw" {
  let n = 50257 * 768
  let big = rand([n])
  let ms = time("sumOfSquares 154 MB", reps: 10) { _ = be.sumOfSquares(big) }
  print(String(format: "    %.1f GB/s", Double(n * 4) / ms / 1e6))
}
if mode == "gemm" {
  struct P: @unchecked Sendable { let a: UnsafeMutablePointer<Float>; let b: UnsafeMutablePointer<Float>; let c: UnsafeMutablePointer<Float> }
  let N = 2048
  for (K, OC) in [(256, 768), (256, 256), (256, 1024), (1024, 256), (256, 8192)] {
    let a = rand([N, K]), w = rand([OC, K]), c = zeros([N, OC])
    let gf = 2.0 * Double(N * K * OC) / 1e6
    func rate(_ ms: Double) { print(String(format: "    %.0f GFLOP/s", gf / ms)) }
    openblas_set_num_threads(Int32(threads))
    rate(time("sgemm \(N)x\(K)->\(OC) blas threads \(threads)") {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(OC), Int32(K), 1, a.hostPointer, Int32(K), w.hostPointer, Int32(K), 0, c.hostPointer, Int32(OC)) })
    openblas_set_num_threads(1)
    for chunks in [threads, 2 * threads] where threads > 1 {
      let p = P(a: a.hostPointer, b: w.hostPointer, c: c.hostPointer)
      rate(time("sgemm split rows \(chunks) chunks") {
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
          let lo = i * N / chunks, hi = (i + 1) * N / chunks
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(hi - lo), Int32(OC), Int32(K), 1, p.a + lo * K, Int32(K), p.b, Int32(K), 0, p.c + lo * OC, Int32(OC))
        }
      })
    }
  }
}
if mode == "interleave" {
  struct P: @unchecked Sendable { let a: UnsafeMutablePointer<Float>; let b: UnsafeMutablePointer<Float>; let c: UnsafeMutablePointer<Float> }
  let N = 2048, K = 256, OC = 1024
  let a = rand([N, K]), w = rand([OC, K]), c = zeros([N, OC]), g = zeros([N, OC])
  let p = P(a: a.hostPointer, b: w.hostPointer, c: c.hostPointer)
  func blas2() { openblas_set_num_threads(2); cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(OC), Int32(K), 1, p.a, Int32(K), p.b, Int32(K), 0, p.c, Int32(OC)) }
  func split2() {
    openblas_set_num_threads(1)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      let lo = i * N / 2, hi = (i + 1) * N / 2
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(hi - lo), Int32(OC), Int32(K), 1, p.a + lo * K, Int32(K), p.b, Int32(K), 0, p.c + lo * OC, Int32(OC))
    }
  }
  func gelu() { be.geluForward(out: g, inp: c, N: N * OC); be.geluForward(out: c, inp: g, N: N * OC) }
  for round in 0..<2 {
    _ = time("[\(round)] blas 2 threads alone") { blas2() }
    _ = time("[\(round)] split 2 alone") { split2() }
    _ = time("[\(round)] gelu x2 alone") { gelu() }
    _ = time("[\(round)] blas 2 threads + gelu x2") { blas2(); gelu() }
    _ = time("[\(round)] split 2 + gelu x2") { split2(); gelu() }
  }
}
if mode == "prefill" {
  // gpt2 prompt of M tokens: small-M matmuls read every weight once, like decode.
  let C = 768, V = 50257, L = 12
  for M in [1, 2, 4, 8, 16, 17, 64] {
    var total = 0.0
    for (Cin, OC) in [(C, 3 * C), (C, C), (C, 4 * C), (4 * C, C)] {
      let ws = (0..<L).map { _ in rand([OC, Cin], std: 0.02) }
      let x = rand([M, Cin]), bias = rand([OC]), o = zeros([M, OC])
      var i = 0
      total += Double(L) * time("M=\(M) matmul \(Cin)->\(OC)", reps: 24) { be.matmulForward(out: o, inp: x, weight: ws[i % L], bias: bias, N: M, C: Cin, OC: OC); i += 1 }
    }
    let wte = rand([V, C], std: 0.02), x = rand([M, C]), logits = zeros([M, V])
    total += time("M=\(M) lm head", reps: 5) { be.matmulForward(out: logits, inp: x, weight: wte, bias: nil, N: M, C: C, OC: V) }
    print("M=\(M): all matmuls of one forward \(total) ms")
  }
}
if mode == "smallm" {
  let C = 768, V = 50257
  let wte = rand([V, C], std: 0.02)
  openblas_set_num_threads(Int32(threads))
  for M in [2, 4, 16, 64] {
    let x = rand([M, C]), out = zeros([M, V]), outT = zeros([V, M])
    _ = time("M=\(M) sgemm x·Wᵀ (current)", reps: 5) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(M), Int32(V), Int32(C), 1, x.hostPointer, Int32(C), wte.hostPointer, Int32(C), 0, out.hostPointer, Int32(V)) }
    _ = time("M=\(M) sgemm W·xᵀ → (V,M)", reps: 5) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(V), Int32(M), Int32(C), 1, wte.hostPointer, Int32(C), x.hostPointer, Int32(C), 0, outT.hostPointer, Int32(M)) }
  }
}
if mode == "bw2" {
  let V = 50257, C = 768, n = V * C
  let big = rand([n]), x = rand([C]), y = zeros([V])
  let w = big.hostPointer, xp = x.hostPointer, yp = y.hostPointer
  func report(_ ms: Double) { print(String(format: "    %.1f GB/s", Double(n * 4) / ms / 1e6)) }
  report(time("sumOfSquares", reps: 10) { _ = be.sumOfSquares(big) })
  report(time("dot rows one at a time", reps: 10) {
    for r in 0..<V {
      var acc = SIMD16<Float>()
      var k = 0
      while k + 16 <= C { acc = acc.addingProduct(UnsafeRawPointer(w + r * C + k).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(xp + k).loadUnaligned(as: SIMD16<Float>.self)); k += 16 }
      yp[r] = acc.sum()
    }
  })
  report(time("dot rows, 4 accumulators per row", reps: 10) {
    for r in 0..<V {
      var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
      var k = 0
      let row = w + r * C
      while k + 64 <= C {
        a0 = a0.addingProduct(UnsafeRawPointer(row + k).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(xp + k).loadUnaligned(as: SIMD16<Float>.self))
        a1 = a1.addingProduct(UnsafeRawPointer(row + k + 16).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(xp + k + 16).loadUnaligned(as: SIMD16<Float>.self))
        a2 = a2.addingProduct(UnsafeRawPointer(row + k + 32).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(xp + k + 32).loadUnaligned(as: SIMD16<Float>.self))
        a3 = a3.addingProduct(UnsafeRawPointer(row + k + 48).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(xp + k + 48).loadUnaligned(as: SIMD16<Float>.self))
        k += 64
      }
      yp[r] = (a0 + a1 + a2 + a3).sum()
    }
  })
  openblas_set_num_threads(1)
  report(time("sgemv", reps: 10) { cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(V), Int32(C), 1, w, Int32(C), xp, 1, 0, yp, 1) })
  report(time("sdot over all (1 stream)", reps: 10) { _ = cblas_sdot(Int32(n), w, 1, w, 1) })
}
