// Linear warmup then cosine decay to a floor (nanoGPT's get_lr; Loshchilov & Hutter 2017, SGDR).

public struct LearningRateSchedule: Codable, Hashable, Sendable {
  public var maxLearningRate: Float
  public var minLearningRate: Float
  public var warmupSteps: Int
  public var totalSteps: Int

  public init(maxLearningRate: Float, minLearningRate: Float? = nil, warmupSteps: Int, totalSteps: Int) {
    self.maxLearningRate = maxLearningRate
    self.minLearningRate = minLearningRate ?? maxLearningRate / 10
    self.warmupSteps = max(0, warmupSteps)
    self.totalSteps = max(1, totalSteps)
  }

  /// The learning rate for 0-based step `it`.
  public func learningRate(at it: Int) -> Float {
    if it < warmupSteps { return maxLearningRate * Float(it + 1) / Float(warmupSteps) }
    if it >= totalSteps { return minLearningRate }
    let progress = Double(it - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
    let coefficient = 0.5 * (1 + _cos(Double.pi * progress))  // 1 → 0
    return minLearningRate + Float(coefficient) * (maxLearningRate - minLearningRate)
  }
}
