// SIMD16<Float> building blocks for the CPU kernels: unaligned loads/stores, a vectorised exp
// (Cephes expf: range reduction by ln 2 and a degree-6 polynomial, ~1 ulp) and row softmax.
// Written with replacing(with:where:) and the 1.5·2²³ magic-number rounding because Swift 6.3
// does not vectorise pointwiseMax, clamped or rounded() (NOTES.md); per-lane expf is 15× slower.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

typealias Vec16 = SIMD16<Float>

@inline(__always) func load(_ p: UnsafePointer<Float>) -> Vec16 {
  UnsafeRawPointer(p).loadUnaligned(as: Vec16.self)
}
@inline(__always) func load(_ p: UnsafeMutablePointer<Float>) -> Vec16 {
  UnsafeRawPointer(p).loadUnaligned(as: Vec16.self)
}
@inline(__always) func store(_ v: Vec16, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec16.self)
}

/// e^x lane by lane. Inputs are clamped to [−87, 88] so 2ⁿ stays a normal float: e^−87 ≈ 1.6e-38
/// stands in for anything smaller (a softmax weight that small is 0 for every purpose), e^88 ≈ 1.7e38.
/// NaN propagates.
@inline(__always) func vexp(_ input: Vec16) -> Vec16 {
  var x = input.replacing(with: 88, where: input .> 88)
  x = x.replacing(with: -87, where: x .< -87)
  // n = round(x / ln 2): adding 1.5·2²³ pushes the fraction bits out (round to nearest even).
  let magic: Float = 12_582_912
  let shifted = x * Float(1.442_695_040_888_963_4) + magic
  let n = shifted - magic
  // r = x − n·ln 2 in two parts (Cody–Waite) so r keeps full precision.
  let r = x - n * Float(0.693_359_375) + n * Float(2.121_944_4e-4)
  var y = Vec16(repeating: 1.987_569_150_0e-4)
  y = y * r + Float(1.398_199_950_7e-3)
  y = y * r + Float(8.333_451_907_3e-3)
  y = y * r + Float(4.166_579_589_4e-2)
  y = y * r + Float(1.666_666_545_9e-1)
  y = y * r + Float(5.000_000_120_1e-1)
  y = y * (r * r) + r + 1
  // 2ⁿ built from its bits: the low bits of `shifted` hold n (its bit pattern is 0x4B400000 + n).
  let nBits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
  let twoToN = unsafeBitCast((nBits &+ 127) &<< 23, to: Vec16.self)
  return y * twoToN
}

/// dst[0..<count] = softmax(src[0..<count]) (they may be the same buffer). Returns the row max
/// and Σ exp(x − max) so callers can form log-probabilities.
@discardableResult
func softmaxRow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) -> (max: Float, sum: Float) {
  var i = 0
  var maxVector = Vec16(repeating: -.infinity)
  while i + 16 <= count {
    let x = load(src + i)
    maxVector = maxVector.replacing(with: x, where: x .> maxVector)
    i += 16
  }
  var maxValue = maxVector.max()
  while i < count {
    maxValue = Swift.max(maxValue, src[i])
    i += 1
  }
  var sumVector = Vec16()
  i = 0
  while i + 16 <= count {
    let e = vexp(load(src + i) - maxValue)
    store(e, dst + i)
    sumVector += e
    i += 16
  }
  var sum = sumVector.sum()
  while i < count {
    let e = expf(src[i] - maxValue)
    dst[i] = e
    sum += e
    i += 1
  }
  scale(dst, count: count, by: 1 / sum)
  return (maxValue, sum)
}

/// p[0..<count] *= factor.
@inline(__always) func scale(_ p: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
  var i = 0
  while i + 16 <= count {
    store(load(p + i) * factor, p + i)
    i += 16
  }
  while i < count {
    p[i] *= factor
    i += 1
  }
}
