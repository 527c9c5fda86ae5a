// The outputs of {train}: the run's setup, the loss curves, the validation table and what the
// numbers say (how far the loss fell, perplexity, the best validation step, overfitting).
import Foundation
import LessonModel
import MiniGPT

struct TrainView {
  let language: LessonLanguage
  /// The model's vocabulary: a perplexity above it means worse than a uniform guess.
  let vocabularySize: Int

  private func word(_ phrase: Phrase, _ arguments: String...) -> String { phrase.text(language, arguments) }
  private func say(_ phrase: Phrase, _ arguments: String...) -> Output {
    .explanation(phrase.richText(language, arguments.map { TextSpan($0) }))
  }
  private func loss(_ value: Float) -> String { ValueFormat.fixed(4).string(for: value) }

  func outputs(
    curve: TrainingCurve, summary: TrainingCurve.Summary, settings: TrainingSettings,
    data: TokenDataset, evaluateEvery: Int
  ) -> [Output] {
    let B = settings.batchSize, T = settings.sequenceLength, steps = settings.steps
    let seen = steps * B * T
    let schedule = settings.schedule
    let setup = KeyValues(
      title: word(.trainRunTitle),
      entries: [
        KeyValue(word(.trainTokens), String(data.trainRange.count)),
        KeyValue(word(.validationTokens), String(data.validationRange.count)),
        KeyValue(word(.trainStepBatchShape), "\(B) × \(T)"),
        KeyValue(word(.steps), String(steps)),
        KeyValue(word(.tokensSeen), String(seen)),
        KeyValue(word(.passes), ValueFormat.fixed(1).string(for: Double(seen) / Double(max(1, data.trainRange.count)))),
        KeyValue(
          word(.learningRate),
          word(
            .trainSchedule, String(schedule.warmupSteps),
            TrainStepView.short(Double(schedule.maxLearningRate)),
            TrainStepView.short(Double(schedule.minLearningRate)))),
        KeyValue(word(.seed), String(settings.seed)),
      ])
    let chart = LineChart(
      title: word(.lossCurveTitle), xLabel: word(.step), yLabel: word(.lossLabel),
      series: [
        ChartSeries(
          name: word(.trainBatchSeries),
          points: curve.losses.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: Double($0.element)) }),
        ChartSeries(
          name: word(.trainSeries),
          points: curve.evaluations.map { ChartPoint(x: Double($0.step), y: Double($0.train)) }),
        ChartSeries(
          name: word(.validationSeries),
          points: curve.evaluations.map { ChartPoint(x: Double($0.step), y: Double($0.validation)) }),
      ])
    let table = Table(
      title: word(.validationTableTitle),
      headers: [word(.step), word(.learningRate), word(.trainSeries), word(.validationSeries), word(.perplexity)],
      rows: curve.evaluations.map { e in
        let lr = e.step == 0 ? "—" : TrainStepView.sci(Double(curve.learningRates[e.step - 1]))
        return [
          String(e.step), lr, loss(e.train), loss(e.validation),
          ValueFormat.fixed(1).string(for: perplexity(loss: e.validation)),
        ]
      },
      alignments: [.right, .right, .right, .right, .right])

    var outputs: [Output] = [.keyValues(setup), .lineChart(chart), .table(table)]
    outputs.append(
      say(
        .trainLossFell, loss(summary.initial.train), loss(summary.final.train), String(steps),
        ValueFormat.fixed(1).string(for: Double(seen) / Double(max(1, data.trainRange.count)))))
    let finalPerplexity = ValueFormat.fixed(1).string(for: perplexity(loss: summary.final.validation))
    outputs.append(
      perplexity(loss: summary.final.validation) > Float(vocabularySize)
        ? say(
          .trainValidationWorse, loss(summary.initial.validation), loss(summary.final.validation), finalPerplexity,
          String(vocabularySize))
        : say(.trainValidation, loss(summary.initial.validation), loss(summary.final.validation), finalPerplexity))
    if summary.isOverfitting {
      outputs.append(
        say(
          .trainOverfitting, String(summary.best.step), loss(summary.best.validation),
          loss(summary.final.validation), loss(summary.best.train), loss(summary.final.train)))
    } else if summary.best.step == summary.final.step {
      outputs.append(say(.trainStillLearning, loss(summary.final.validation)))
    } else {
      outputs.append(
        say(
          .trainPlateau, String(summary.best.step), loss(summary.best.validation),
          loss(summary.final.validation)))
    }
    outputs.append(
      say(
        .trainGap, loss(summary.final.train), loss(summary.final.validation),
        loss(summary.final.validation - summary.final.train)))
    return outputs
  }
}
