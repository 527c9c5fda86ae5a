// The engine's own seeded RNG, so a run is reproducible bit for bit on every platform:
// SplitMix64 (Steele, Lea & Flood 2014) for the stream, Box–Muller for normals.
// (SystemRandomNumberGenerator makes one syscall per value and cannot be seeded.)

public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Hashable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1) with 24 random bits (exactly representable as Float).
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// Uniform integer in 0..<bound (bound > 0), by rejection so it is unbiased.
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0)
    return Int(next(upperBound: UInt64(bound)))
  }

  /// Standard normal sample (Box–Muller; the second value is discarded for simplicity).
  public mutating func nextNormal() -> Float {
    var u1 = nextDouble()
    if u1 < 1e-300 { u1 = 1e-300 }
    let u2 = nextDouble()
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// `count` normal samples with the given mean and standard deviation.
  public mutating func normals(_ count: Int, mean: Float = 0, std: Float = 1) -> [Float] {
    (0..<count).map { _ in mean + std * nextNormal() }
  }

  /// `count` uniform samples in [lo, hi).
  public mutating func uniforms(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
    (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat() }
  }
}

// Foundation-free libm access (the engine does not import Foundation in its hot files).
#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
