// Seeded random tensors and tolerance comparisons for kernel tests. The closeness rule is
// numpy.allclose's: |actual − expected| ≤ atol + rtol·|expected|, element by element.
import MiniGPT
import Testing

/// A tensor of the given shape on `backend`, filled with N(0, std²) samples from `rng`.
public func randomTensor(_ backend: any Backend, _ shape: [Int], _ rng: inout SplitMix64, std: Float = 1) throws -> Tensor {
  try backend.makeTensor(rng.normals(shape.reduce(1, *), std: std), shape: shape)
}

/// A tensor of the given shape on `backend` holding `values`.
public func tensor(_ backend: any Backend, _ values: [Float], _ shape: [Int]) throws -> Tensor {
  try backend.makeTensor(values, shape: shape)
}

/// The worst element of a comparison, or nil when every element is within tolerance.
/// NaN anywhere (or an infinity that is not matched exactly) is a mismatch.
public func firstMismatch(_ actual: [Float], _ expected: [Float], rtol: Double, atol: Double) -> String? {
  guard actual.count == expected.count else { return "count \(actual.count) ≠ expected \(expected.count)" }
  var worst: (index: Int, excess: Double)? = nil
  for i in 0..<actual.count {
    let a = Double(actual[i]), e = Double(expected[i])
    if a == e { continue }  // also covers matching infinities
    let excess =
      a.isNaN || e.isNaN || a.isInfinite || e.isInfinite
      ? Double.infinity : abs(a - e) - (atol + rtol * abs(e))
    if excess > 0 && (worst == nil || excess > worst!.excess) { worst = (i, excess) }
  }
  guard let worst else { return nil }
  let bad = (0..<actual.count).filter { i in
    let a = Double(actual[i]), e = Double(expected[i])
    return a != e && !(abs(a - e) <= atol + rtol * abs(e))
  }.count
  return "\(bad) of \(actual.count) elements differ; worst at [\(worst.index)]: "
    + "\(actual[worst.index]) vs expected \(expected[worst.index]) (atol \(atol), rtol \(rtol))"
}

/// Records a test issue when `actual` and `expected` differ beyond `atol + rtol·|expected|`.
public func assertClose(
  _ actual: [Float], _ expected: [Float], rtol: Double, atol: Double, _ what: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let mismatch = firstMismatch(actual, expected, rtol: rtol, atol: atol) {
    Issue.record("\(what): \(mismatch)", sourceLocation: sourceLocation)
  }
}

/// Same, for two tensors read back from their backends.
public func assertClose(
  _ actual: Tensor, on actualBackend: any Backend, _ expected: Tensor, on expectedBackend: any Backend,
  rtol: Double, atol: Double, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  assertClose(
    actualBackend.read(actual), expectedBackend.read(expected), rtol: rtol, atol: atol, what,
    sourceLocation: sourceLocation)
}
