// {backends}' comparison of two runs of the same training step: the largest absolute differences
// overall and per tensor, and what they mean (float32 sums in a different order round differently).
import Foundation
import LessonModel
import MiniGPT

struct StepComparison {
  struct TensorDifference {
    let name: String
    let largestGradient: Double
    let gradientDifference: Double
    let parameterDifference: Double
  }
  let a: BackendsDirective.StepResult
  let b: BackendsDirective.StepResult
  let tensors: [TensorDifference]

  init(layout: ParameterLayout, a: BackendsDirective.StepResult, b: BackendsDirective.StepResult) {
    self.a = a
    self.b = b
    tensors = layout.entries.map { e in
      var largest = 0.0, dg = 0.0, dp = 0.0
      for i in e.offset..<(e.offset + e.count) {
        largest = max(largest, abs(Double(a.gradients[i])))
        dg = max(dg, abs(Double(a.gradients[i]) - Double(b.gradients[i])))
        dp = max(dp, abs(Double(a.parameters[i]) - Double(b.parameters[i])))
      }
      return TensorDifference(name: e.name, largestGradient: largest, gradientDifference: dg, parameterDifference: dp)
    }
  }

  var lossDifference: Double { abs(Double(a.loss) - Double(b.loss)) }
  var gradientDifference: Double { tensors.map(\.gradientDifference).max() ?? 0 }
  var parameterDifference: Double { tensors.map(\.parameterDifference).max() ?? 0 }
  var largestGradient: Double { tensors.map(\.largestGradient).max() ?? 0 }
  var relativeGradientDifference: Double { largestGradient > 0 ? gradientDifference / largestGradient : 0 }

  func outputs(_ language: LessonLanguage, labels: (String, String), software: Bool, batch: TrainingBatch) -> [Output] {
    func word(_ phrase: Phrase) -> String { phrase.text(language, []) }
    func sci(_ value: Double) -> String { ValueFormat.scientific(2).string(for: value) }
    let loss = ValueFormat.fixed(6)
    let summary = Table(
      title: word(.backendsSummaryTitle),
      headers: ["", labels.0, labels.1, word(.largestDifference)],
      rows: [
        [word(.lossLabel), loss.string(for: a.loss), loss.string(for: b.loss), sci(lossDifference)],
        [word(.gradients), "", "", sci(gradientDifference)],
        [word(.weightsAfterStep), "", "", sci(parameterDifference)],
      ],
      alignments: [.left, .right, .right, .right])
    let worst = tensors.sorted {
      $0.gradientDifference != $1.gradientDifference
        ? $0.gradientDifference > $1.gradientDifference : $0.name < $1.name
    }.prefix(8)
    let perTensor = Table(
      title: word(.backendsTensorTitle),
      headers: [word(.tensor), "max |g|", "max |Δg|", "max |Δθ′|"],
      rows: worst.map { [$0.name, sci($0.largestGradient), sci($0.gradientDifference), sci($0.parameterDifference)] },
      alignments: [.left, .right, .right, .right],
      barValues: worst.map(\.gradientDifference))
    // Significant digits in common: −log10 of the relative difference, at most float32's ~7.
    let relative = max(relativeGradientDifference, lossDifference / max(abs(Double(a.loss)), 1e-30))
    let digits = relative > 0 ? min(7, Int((-log10(relative)).rounded(.down))) : 7
    var outputs: [Output] = [
      .table(summary), .table(perTensor),
      a.loss == b.loss
        ? .explanation(
          Phrase.backendsSameLoss.richText(
            language,
            [
              TextSpan(labels.0), TextSpan(labels.1), TextSpan("\(batch.B) × \(batch.T)"), TextSpan(loss.string(for: a.loss)),
            ]))
        : .explanation(
          Phrase.backendsSame.richText(
            language,
            [
              TextSpan(labels.0), TextSpan(labels.1), TextSpan("\(batch.B) × \(batch.T)"),
              TextSpan(loss.string(for: a.loss)), TextSpan(loss.string(for: b.loss)), TextSpan(sci(lossDifference)),
            ])),
      .explanation(
        Phrase.backendsGradients.richText(
          language,
          [
            TextSpan(sci(gradientDifference)), TextSpan(sci(largestGradient)), TextSpan(sci(parameterDifference)),
            TextSpan(String(digits)),
          ])),
      .explanation(Phrase.backendsWhy.richText(language, [])),
    ]
    if parameterDifference > gradientDifference, let moved = tensors.max(by: { $0.parameterDifference < $1.parameterDifference })
    {
      outputs.append(.explanation(Phrase.backendsAdamAmplifies.richText(language, [TextSpan(moved.name, style: .code)])))
    }
    if software { outputs.append(.note(Phrase.backendsSoftware.richText(language, []))) }
    return outputs
  }
}
