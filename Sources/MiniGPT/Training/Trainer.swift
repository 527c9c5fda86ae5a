// The training loop: random batches, forward, backward, global-norm clipping, AdamW on a
// warmup + cosine schedule, and validation loss / perplexity. All randomness comes from one
// SplitMix64 whose state is part of a checkpoint, so a resumed run continues bit for bit.

public struct TrainingSettings: Codable, Hashable, Sendable {
  public var batchSize: Int
  public var sequenceLength: Int
  public var steps: Int
  public var schedule: LearningRateSchedule
  public var adamW: AdamWSettings
  public var seed: UInt64
  public var evaluationBatches: Int

  public init(
    batchSize: Int, sequenceLength: Int, steps: Int, learningRate: Float = 3e-4, warmupSteps: Int? = nil,
    adamW: AdamWSettings = AdamWSettings(), seed: UInt64 = 1337, evaluationBatches: Int = 8
  ) {
    self.batchSize = batchSize
    self.sequenceLength = sequenceLength
    self.steps = steps
    self.schedule = LearningRateSchedule(
      maxLearningRate: learningRate, warmupSteps: warmupSteps ?? max(1, steps / 20),
      totalSteps: steps)
    self.adamW = adamW
    self.seed = seed
    self.evaluationBatches = evaluationBatches
  }
}

public struct TrainingStepResult: Sendable {
  public var step: Int
  public var loss: Float
  public var learningRate: Float
  public var gradientNorm: Float
  public var seconds: Double
  public var tokensPerSecond: Double
}

public final class Trainer {
  public let model: GPT
  public let data: TokenDataset
  public let settings: TrainingSettings
  /// The batch sampler's RNG; saved in checkpoints.
  public var rng: SplitMix64

  public init(model: GPT, data: TokenDataset, settings: TrainingSettings) throws {
    guard settings.batchSize >= 1, settings.sequenceLength >= 1, settings.steps >= 0 else {
      throw EngineError.invalidConfiguration("batch size and sequence length must be ≥ 1 and steps ≥ 0")
    }
    guard settings.sequenceLength <= model.config.contextLength else {
      throw EngineError.invalidConfiguration(
        "sequence length \(settings.sequenceLength) exceeds the context length \(model.config.contextLength)")
    }
    self.model = model
    self.data = data
    self.settings = settings
    self.rng = SplitMix64(seed: settings.seed)
  }

  /// Steps done so far (the model's optimizer step).
  public var completedSteps: Int { model.step }
  public var isFinished: Bool { model.step >= settings.steps }

  /// One optimizer step on a fresh random batch.
  public func runStep() throws -> TrainingStepResult {
    let B = settings.batchSize, T = settings.sequenceLength
    let batch = data.randomBatch(.train, B: B, T: T, rng: &rng)
    let lr = settings.schedule.learningRate(at: model.step)
    let clock = ContinuousClock()
    let start = clock.now
    let (loss, report) = try model.trainStep(
      tokens: batch.inputs, targets: batch.targets, B: B, T: T,
      learningRate: lr, settings: settings.adamW)
    let seconds = (clock.now - start).seconds
    return TrainingStepResult(
      step: report.step, loss: loss, learningRate: lr, gradientNorm: report.gradientNorm,
      seconds: seconds, tokensPerSecond: Double(B * T) / max(seconds, 1e-9))
  }

  /// Mean loss over the first evaluation batches of a split (nil when the split is empty).
  public func evaluate(_ split: TokenDataset.Split) throws -> Float? {
    let batches = data.evaluationBatches(
      split, B: settings.batchSize, T: settings.sequenceLength,
      maxBatches: settings.evaluationBatches)
    guard !batches.isEmpty else { return nil }
    // Weighted by rows so a short last batch counts for what it holds.
    var total = 0.0, rows = 0
    for b in batches {
      let loss = try model.forward(tokens: b.inputs, targets: b.targets, B: b.rows, T: settings.sequenceLength)!
      total += Double(loss) * Double(b.rows)
      rows += b.rows
    }
    return Float(total / Double(rows))
  }
}

/// Perplexity = e^loss (loss in nats per token).
public func perplexity(loss: Float) -> Float { Float(_exp(Double(loss))) }
