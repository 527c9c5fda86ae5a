// A tokenised corpus split into training and validation parts, and batches drawn from it:
// random windows from the seeded RNG for training (nanoGPT's get_batch), fixed consecutive
// windows for evaluation so validation loss is comparable between runs.

public struct TokenDataset: Sendable {
  public let tokens: [Int32]
  public let trainRange: Range<Int>
  public let validationRange: Range<Int>

  public enum Split: String, Sendable { case train, validation }

  /// Splits off the last `validationFraction` of the tokens. Each part must hold at least one
  /// window of T+1 tokens.
  public init(tokens: [Int32], validationFraction: Double = 0.1, sequenceLength T: Int) throws {
    guard validationFraction >= 0, validationFraction < 1 else {
      throw EngineError.invalidConfiguration("validation fraction must be in [0, 1), got \(validationFraction)")
    }
    let valCount = Int(Double(tokens.count) * validationFraction)
    let trainCount = tokens.count - valCount
    guard trainCount >= T + 1 else {
      throw EngineError.invalidTokens(
        "the corpus gives \(trainCount) training tokens; at least \(T + 1) are needed for sequences of \(T)")
    }
    if validationFraction > 0 && valCount < T + 1 {
      throw EngineError.invalidTokens(
        "the validation part has \(valCount) tokens; at least \(T + 1) are needed (use a larger corpus or shorter sequences)")
    }
    self.tokens = tokens
    trainRange = 0..<trainCount
    validationRange = trainCount..<tokens.count
  }

  func range(_ split: Split) -> Range<Int> { split == .train ? trainRange : validationRange }

  /// B random windows of T+1 tokens from the split: inputs and next-token targets, each B·T.
  public func randomBatch(_ split: Split = .train, B: Int, T: Int, rng: inout SplitMix64) -> (inputs: [Int32], targets: [Int32]) {
    let r = range(split)
    var inputs = [Int32](), targets = [Int32]()
    inputs.reserveCapacity(B * T)
    targets.reserveCapacity(B * T)
    for _ in 0..<B {
      let start = r.lowerBound + rng.nextInt(below: r.count - T)
      inputs += tokens[start..<start + T]
      targets += tokens[start + 1..<start + T + 1]
    }
    return (inputs, targets)
  }

  /// Up to `maxBatches` consecutive, non-overlapping batches covering the start of the split.
  /// The last batch may have fewer than B rows (a small validation set still gets evaluated).
  public func evaluationBatches(
    _ split: Split, B: Int, T: Int, maxBatches: Int
  ) -> [(inputs: [Int32], targets: [Int32], rows: Int)] {
    let r = range(split)
    var batches: [(inputs: [Int32], targets: [Int32], rows: Int)] = []
    var position = r.lowerBound
    while batches.count < maxBatches {
      var inputs = [Int32](), targets = [Int32]()
      var rows = 0
      while rows < B, position + T + 1 <= r.upperBound {
        inputs += tokens[position..<position + T]
        targets += tokens[position + 1..<position + T + 1]
        position += T
        rows += 1
      }
      guard rows > 0 else { break }
      batches.append((inputs, targets, rows))
      if rows < B { break }
    }
    return batches
  }
}
