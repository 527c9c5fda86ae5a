// The outputs of {train-step}: the batch, the gradients per tensor, AdamW's arithmetic for one
// tensor and the loss after — each table followed by an explanation computed from its numbers.
import Foundation
import LessonModel
import MiniGPT

struct TrainStepView {
  let language: LessonLanguage
  let model: GPT
  let batch: TrainingBatch
  let pieces: ([Int]) -> [String]

  private func say(_ phrase: Phrase, _ arguments: TextSpan...) -> Output {
    .explanation(phrase.richText(language, arguments))
  }
  private func word(_ phrase: Phrase) -> String { phrase.text(language, []) }

  func batchOutputs(lossBefore: Float, settings: AdamWSettings, learningRate: Float) -> [Output] {
    let clip = settings.gradientClip.map { Self.fixed($0, 2) } ?? word(.trainStepNoClipping)
    let setup = KeyValues(
      title: word(.trainStepBatchTitle),
      entries: [
        KeyValue(word(.trainStepBatchShape), "\(batch.B) × \(batch.T)"),
        KeyValue(word(.trainStepPredictions), String(batch.B * batch.T)),
        KeyValue(word(.learningRate), Self.short(Double(learningRate))),
        KeyValue(
          "β1, β2, ε",
          "\(Self.short(Double(settings.beta1))), \(Self.short(Double(settings.beta2))), \(Self.short(Double(settings.eps)))"),
        KeyValue(word(.weightDecay), Self.short(Double(settings.weightDecay))),
        KeyValue(word(.gradientClipping), clip),
      ])
    let shown = min(batch.T, 12)
    let inputs = pieces(Array(batch.inputRow(0).prefix(shown)))
    let targets = pieces(Array(batch.targetRow(0).prefix(shown)))
    let pairs = Table(
      title: word(.trainStepFirstRow),
      headers: [word(.position), word(.trainStepInput), word(.trainStepTarget)],
      rows: (0..<shown).map { [String($0), inputs[$0], targets[$0]] },
      alignments: [.right, .left, .left])
    let V = model.config.vocabSize
    let uniform = log(Double(V))
    return [
      .keyValues(setup), .table(pairs),
      say(
        .trainStepLossBefore, TextSpan(String(batch.B * batch.T)), TextSpan(Self.fixed(lossBefore, 4)),
        TextSpan(Self.fixed(Double(perplexity(loss: lossBefore)), 1)), TextSpan(String(V)),
        TextSpan(Self.fixed(uniform, 4))),
    ]
  }

  /// The table shows `shown` (a `:filter:` may hide some); the explanation speaks of all tensors.
  func gradientOutputs(
    _ shown: [TensorNorms], of tensors: [TensorNorms], globalNorm: Float, clip: Float?,
    scale: Float
  ) -> [Output] {
    let table = Table(
      title: word(.trainStepGradientTitle),
      headers: [word(.tensor), word(.shape), "‖θ‖", "‖g‖", "‖Δθ‖ / ‖θ‖"],
      rows: shown.map { t in
        [
          t.entry.name, t.entry.shape.map(String.init).joined(separator: "×"), Self.fixed(t.parameterNorm, 3),
          Self.sci(t.gradientNorm), t.updateRatio.map(Self.sci) ?? "—",
        ]
      },
      alignments: [.left, .right, .right, .right, .right],
      barValues: shown.map(\.gradientNorm))
    var outputs: [Output] = shown.isEmpty ? [] : [.table(table)]
    if let clip, scale < 1 {
      outputs.append(
        say(
          .trainStepClipped, TextSpan(Self.fixed(globalNorm, 4)), TextSpan(Self.fixed(clip, 2)),
          TextSpan(Self.fixed(scale, 4))))
    } else if let clip {
      outputs.append(say(.trainStepNotClipped, TextSpan(Self.fixed(globalNorm, 4)), TextSpan(Self.fixed(clip, 2))))
    } else {
      outputs.append(say(.trainStepNoClip, TextSpan(Self.fixed(globalNorm, 4))))
    }
    let largest = tensors.max { $0.gradientNorm < $1.gradientNorm }!
    let moved = tensors.filter { $0.updateRatio != nil }
    if let fastest = moved.max(by: { $0.updateRatio! < $1.updateRatio! }),
      let slowest = moved.min(by: { $0.updateRatio! < $1.updateRatio! })
    {
      outputs.append(
        say(
          .trainStepLargest, TextSpan(largest.entry.name, style: .code), TextSpan(Self.sci(largest.gradientNorm)),
          TextSpan(fastest.entry.name, style: .code), TextSpan(Self.sci(fastest.updateRatio!)),
          TextSpan(slowest.entry.name, style: .code), TextSpan(Self.sci(slowest.updateRatio!))))
    }
    return outputs
  }

  func adamOutputs(_ s: StepNumbers, elements: Int, chosen: TensorNorms) -> [Output] {
    let correction = KeyValues(
      title: word(.trainStepAdamTitle),
      entries: [
        KeyValue("t", String(s.t)),
        KeyValue("1 − β1ᵗ", Self.fixed(s.correction1, 6)),
        KeyValue("1 − β2ᵗ", Self.fixed(s.correction2, 6)),
        KeyValue("λ (\(s.entry.name))", Self.short(s.weightDecay)),
      ])
    let count = min(elements, s.entry.count)
    let rows = (0..<count).map { i -> [String] in
      let m = Double(s.m[i]), v = Double(s.v[i])
      let theta = Double(s.before[s.before.startIndex + i])
      let thetaNew = s.engineAfter(i)
      return [
        String(i), Self.fixed(theta, 5), Self.sci(Double(s.gradient[s.gradient.startIndex + i]) * s.clipScale),
        Self.sci(m), Self.sci(v), Self.sci(m / s.correction1), Self.sci(v / s.correction2),
        Self.sci(thetaNew - theta), Self.fixed(thetaNew, 5),
      ]
    }
    let table = Table(
      title: Phrase.trainStepElementsTitle.text(language, [s.entry.name]),
      headers: ["i", "θ", "g", "m", "v", "m̂", "v̂", "Δθ", "θ′"],
      rows: rows, alignments: Array(repeating: .right, count: 9))
    var outputs: [Output] = [.keyValues(correction), .table(table)]
    outputs.append(
      say(
        .trainStepBiasCorrection, TextSpan(String(s.t)), TextSpan(Self.fixed(s.correction1, 4)),
        TextSpan(Self.fixed(s.correction2, 4))))
    let e = s.recomputed(0)
    outputs.append(
      say(
        .trainStepWorkedExample, TextSpan(s.entry.name, style: .code),
        TextSpan(Self.sci(e.gradient)), TextSpan(Self.sci(e.m)), TextSpan(Self.sci(e.v)),
        TextSpan(Self.sci(e.mHat)), TextSpan(Self.sci(e.vHat)), TextSpan(Self.sci(e.adamStep)),
        TextSpan(Self.sci(e.decayStep)), TextSpan(Self.fixed(e.theta, 6)),
        TextSpan(Self.fixed(s.engineAfter(0), 6))))
    if s.t == 1 {
      outputs.append(say(.trainStepFirstStep, TextSpan(Self.short(s.learningRate))))
    }
    if let ratio = chosen.updateRatio {
      outputs.append(
        say(
          .trainStepUpdateRatio, TextSpan(s.entry.name, style: .code), TextSpan(Self.sci(chosen.updateNorm)),
          TextSpan(Self.fixed(chosen.parameterNorm, 4)), TextSpan(Self.sci(ratio))))
    }
    return outputs
  }

  func resultOutputs(lossBefore: Float, lossAfter: Float) -> [Output] {
    let change = Double(lossAfter) - Double(lossBefore)
    return [
      say(
        change < 0 ? .trainStepLossFell : .trainStepLossRose, TextSpan(Self.fixed(lossBefore, 4)),
        TextSpan(Self.fixed(lossAfter, 4)), TextSpan(Self.fixed(abs(change), 4)))
    ]
  }

  static func fixed(_ value: Float, _ digits: Int) -> String { ValueFormat.fixed(digits).string(for: value) }
  static func fixed(_ value: Double, _ digits: Int) -> String { ValueFormat.fixed(digits).string(for: value) }
  static func sci(_ value: Double) -> String { ValueFormat.scientific(2).string(for: value) }
  /// Settings as written: 0.001, 0.9, 1e-08.
  static func short(_ value: Double) -> String {
    value != 0 && abs(value) < 1e-3 ? ValueFormat.scientific(0).string(for: value) : String(format: "%g", value)
  }
}
