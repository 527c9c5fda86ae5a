// The training loop of `train`: Trainer steps with progress, an evaluation (validation loss and
// perplexity) and an atomic save at the end of every epoch, and a save-and-exit on Ctrl-C or
// when the step budget of this run (--stop-after) is spent. An epoch is the number of steps whose
// batches hold as many tokens as the training split: ceil(train tokens / (B·T)); batches are
// random windows (nanoGPT's get_batch), so an epoch covers the data once on average.
import Foundation
import MiniGPT

final class TrainingRun {
  enum Outcome: Equatable {
    case finished
    /// Stopped by a signal (its number) after saving.
    case interrupted(Int32)
    /// Stopped after --stop-after steps, after saving.
    case paused
  }

  let trainer: Trainer
  var record: TrainingRecord
  let outURL: URL
  let display: TrainingProgressDisplay
  let stopAfter: Int?
  let weightsOnlyAtEnd: Bool
  let style: TextStyle

  init(
    trainer: Trainer, record: TrainingRecord, outURL: URL, display: TrainingProgressDisplay, stopAfter: Int?,
    weightsOnlyAtEnd: Bool, style: TextStyle
  ) {
    self.trainer = trainer
    self.record = record
    self.outURL = outURL
    self.display = display
    self.stopAfter = stopAfter
    self.weightsOnlyAtEnd = weightsOnlyAtEnd
    self.style = style
  }

  var epochCount: Int { (trainer.settings.steps + record.stepsPerEpoch - 1) / record.stepsPerEpoch }

  func run() throws -> Outcome {
    var stepsThisRun = 0
    while !trainer.isFinished {
      if let signal = InterruptSignal.received {
        try save(final: false)
        return .interrupted(signal)
      }
      if let stopAfter, stepsThisRun >= stopAfter {
        try save(final: false)
        return .paused
      }
      let result = try trainer.runStep()
      guard result.loss.isFinite else {
        display.clear()
        throw CLIError.invalidValue(
          "the loss became \(result.loss) at step \(result.step): training diverged; try a lower --lr (now \(trainer.settings.schedule.maxLearningRate))"
        )
      }
      stepsThisRun += 1
      record.epochLossSum += Double(result.loss)
      record.epochLossSteps += 1
      display.update(result)
      if result.step % record.stepsPerEpoch == 0 || trainer.isFinished {
        try endEpoch(at: result.step)
      }
    }
    return .finished
  }

  /// Evaluates, reports and saves at the end of an epoch (or of the run).
  private func endEpoch(at step: Int) throws {
    let trainLoss = Float(record.epochLossSum / Double(max(1, record.epochLossSteps)))
    let validation = try trainer.evaluate(.validation)
    record.trainLoss = trainLoss
    record.validationLoss = validation
    record.epochLossSum = 0
    record.epochLossSteps = 0
    let epoch = (step + record.stepsPerEpoch - 1) / record.stepsPerEpoch
    try save(final: trainer.isFinished)
    display.clear()
    var line = "epoch \(epoch)/\(epochCount) (step \(step)): train loss " + String(format: "%.4f", trainLoss)
    if let validation {
      line +=
        ", validation loss " + style.bold(String(format: "%.4f", validation))
        + ", perplexity " + String(format: "%.1f", perplexity(loss: validation))
    }
    writeStandardOutput(line + " — saved \(outURL.path)\n")
  }

  /// Saves atomically: parameters, AdamW state (unless this is the final save of a
  /// --weights-only run) and the training record with the sampler's RNG state.
  func save(final: Bool) throws {
    record.rngState = trainer.rng.state
    let includeOptimizer = !(final && weightsOnlyAtEnd)
    let checkpoint = trainer.model.checkpoint(includeOptimizer: includeOptimizer, trainingState: try record.encoded())
    try checkpoint.save(to: outURL)
  }
}
