// {train-step}: one optimizer step of the session's model on a batch of its text, shown piece by
// piece — loss, per-tensor gradient norms, global-norm clipping, AdamW's m and v with bias
// correction for one tensor (Kingma & Ba 2015, Alg. 1; Loshchilov & Hutter 2019), the update
// relative to each weight, and the loss on the same batch afterwards. Changes the model.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{text} O gato subiu no telhado e a gata desceu da janela.
//     ```
//     ```{train-step}
//     :batch: 2
//     :seq: 8
//     :param: h.0.mlp.c_fc.weight
//     ```
import Foundation
import LessonModel
import MiniGPT

public struct TrainStepDirective: Directive {
  public static let name = "train-step"
  public static let summary = "One AdamW step on a batch: loss, gradients, moments, updates, loss after."
  public static let options: [OptionSpec] =
    TrainingText.options + [
      .int("batch", default: 4, in: 1...256, help: "sequences in the batch (B)"),
      .int("seq", default: 32, in: 1...4096, help: "tokens per sequence (T)"),
      .float("lr", default: 1e-3, in: 0...10, help: "learning rate"),
      .float("weight-decay", default: 0.1, in: 0...10, help: "AdamW's decoupled weight decay (2-D weights only)"),
      .float("clip", default: 1, in: 0...1e6, help: "clip the global gradient norm to this (0: no clipping)"),
      .string("param", default: "h.0.attn.c_attn.weight", help: "the tensor whose AdamW state is shown"),
      .int("elements", default: 5, in: 1...32, help: "elements of that tensor to show"),
      .string("filter", help: "show only tensors whose name contains this text"),
    ]
  public static let results = [
    ResultSpec("loss_before"), ResultSpec("loss_after"), ResultSpec("loss_change", "loss after − loss before"),
    ResultSpec("gradient_norm", "global L2 norm before clipping"), ResultSpec("clip_scale"),
    ResultSpec("step", "AdamW's t after this step"), ResultSpec("lr"),
    ResultSpec("bias_correction1", "1 − β1^t"), ResultSpec("bias_correction2", "1 − β2^t"),
    ResultSpec("update_ratio", "‖Δθ‖ / ‖θ‖ of :param:"), ResultSpec("tokens", "tokens in the batch"),
    ResultSpec("first_update_error", "largest |Δθ − recomputed Δθ| over the shown elements"),
  ]

  let text: TrainingText
  let batch: Int, seq: Int
  let learningRate: Float, weightDecay: Float, clip: Float
  let parameterName: String
  let elements: Int
  let filter: String?

  public init(_ invocation: Invocation) throws {
    text = try TrainingText(invocation)
    batch = invocation.int("batch")!
    seq = invocation.int("seq")!
    learningRate = Float(invocation.float("lr")!)
    weightDecay = Float(invocation.float("weight-decay")!)
    clip = Float(invocation.float("clip")!)
    parameterName = invocation.string("param")!
    elements = invocation.int("elements")!
    filter = invocation.string("filter")
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    guard let entry = model.layout[parameterName] else {
      throw LessonError.directiveFailed("the model has no tensor '\(parameterName)' for ':param:' (\(Self.nameHint(model)))")
    }
    let ids = try text.tokens(session, model: model, directive: Self.name)
    let batch = try TrainingBatch(
      ids: ids, B: self.batch, T: seq, config: model.config,
      random: &session.random)
    session.lastBatch = batch.rows
    let settings = AdamWSettings(weightDecay: weightDecay, gradientClip: clip > 0 ? clip : nil)

    // Before: parameters and, for the chosen tensor, the moments of the previous steps (0 at first).
    let before = model.parameterValues()
    let previous = model.adamMoments(parameterName).map { (m: model.read($0.m), v: model.read($0.v)) }
    let lossBefore = try model.forward(tokens: batch.inputs, targets: batch.targets, B: batch.B, T: batch.T)!
    try model.zeroGradients()
    try model.backward()
    let gradients = model.read(model.gradients!)
    let report = try model.applyAdamW(learningRate: learningRate, settings: settings)
    let after = model.parameterValues()
    let moments = model.adamMoments(parameterName)!
    let m = model.read(moments.m), v = model.read(moments.v)
    let lossAfter = try model.forward(tokens: batch.inputs, targets: batch.targets, B: batch.B, T: batch.T)!

    let step = StepNumbers(
      settings: settings, learningRate: learningRate, t: report.step, clipScale: report.clipScale,
      entry: entry, before: before, after: after, gradients: gradients,
      previousM: previous?.m, previousV: previous?.v, m: m, v: v)
    let tensors = model.layout.entries.map { TensorNorms(entry: $0, before: before, after: after, gradients: gradients) }
    let chosen = TensorNorms(entry: entry, before: before, after: after, gradients: gradients)

    session.report("loss_before", Double(lossBefore))
    session.report("loss_after", Double(lossAfter))
    session.report("loss_change", Double(lossAfter) - Double(lossBefore))
    session.report("gradient_norm", Double(report.gradientNorm))
    session.report("clip_scale", Double(report.clipScale))
    session.report("step", report.step)
    session.report("lr", Double(learningRate))
    session.report("bias_correction1", step.correction1)
    session.report("bias_correction2", step.correction2)
    session.report("update_ratio", chosen.updateRatio ?? .nan)
    session.report("tokens", batch.B * batch.T)
    session.report("first_update_error", step.largestRecomputationError(elements))

    let tokenizer = try session.tokenizer()
    let view = TrainStepView(
      language: session.language, model: model, batch: batch,
      pieces: { visiblePieces($0, tokenizer) })
    var outputs = view.batchOutputs(lossBefore: lossBefore, settings: settings, learningRate: learningRate)
    outputs += view.gradientOutputs(
      tensors.filter { filter == nil || $0.entry.name.contains(filter!) }, of: tensors,
      globalNorm: report.gradientNorm, clip: settings.gradientClip,
      scale: report.clipScale)
    outputs += view.adamOutputs(step, elements: elements, chosen: chosen)
    outputs += view.resultOutputs(lossBefore: lossBefore, lossAfter: lossAfter)
    return outputs
  }

  static func nameHint(_ model: GPT) -> String {
    let names = model.layout.entries.map(\.name)
    return "it has \(names.prefix(4).joined(separator: ", ")), … \(names.last!)"
  }
}

/// ‖θ‖, ‖g‖ and ‖Δθ‖ of one tensor, in Double.
struct TensorNorms {
  let entry: ParameterLayout.Entry
  let parameterNorm: Double
  let gradientNorm: Double
  let updateNorm: Double

  init(entry: ParameterLayout.Entry, before: [Float], after: [Float], gradients: [Float]) {
    self.entry = entry
    var p = 0.0, g = 0.0, u = 0.0
    for i in entry.offset..<(entry.offset + entry.count) {
      p += Double(before[i]) * Double(before[i])
      g += Double(gradients[i]) * Double(gradients[i])
      let d = Double(after[i]) - Double(before[i])
      u += d * d
    }
    parameterNorm = p.squareRoot()
    gradientNorm = g.squareRoot()
    updateNorm = u.squareRoot()
  }

  /// ‖Δθ‖ / ‖θ‖; nil for a tensor that was all zeros (biases before their first step).
  var updateRatio: Double? { parameterNorm > 0 ? updateNorm / parameterNorm : nil }
}

/// The AdamW arithmetic of one step for the chosen tensor, recomputed here from the gradient
/// (in Double) next to what the engine stored, so the lesson can show both.
struct StepNumbers {
  let beta1: Double, beta2: Double, eps: Double, learningRate: Double, weightDecay: Double
  let t: Int
  let clipScale: Double
  let correction1: Double, correction2: Double
  let entry: ParameterLayout.Entry
  /// Per element of the tensor (flat): values before and after, gradient, moments before and after.
  let before: ArraySlice<Float>, after: ArraySlice<Float>, gradient: ArraySlice<Float>
  let previousM: [Float]?, previousV: [Float]?
  let m: [Float], v: [Float]

  init(
    settings: AdamWSettings, learningRate: Float, t: Int, clipScale: Float, entry: ParameterLayout.Entry,
    before: [Float], after: [Float], gradients: [Float], previousM: [Float]?, previousV: [Float]?,
    m: [Float], v: [Float]
  ) {
    beta1 = Double(settings.beta1)
    beta2 = Double(settings.beta2)
    eps = Double(settings.eps)
    self.learningRate = Double(learningRate)
    weightDecay = entry.isDecayed ? Double(settings.weightDecay) : 0
    self.t = t
    self.clipScale = Double(clipScale)
    correction1 = 1 - pow(beta1, Double(t))
    correction2 = 1 - pow(beta2, Double(t))
    self.entry = entry
    let range = entry.offset..<(entry.offset + entry.count)
    self.before = before[range]
    self.after = after[range]
    gradient = gradients[range]
    self.previousM = previousM
    self.previousV = previousV
    self.m = m
    self.v = v
  }

  /// Element `i` (0-based within the tensor) recomputed from the clipped gradient.
  struct Element {
    let theta: Double, gradient: Double, m: Double, v: Double, mHat: Double, vHat: Double
    let adamStep: Double, decayStep: Double
    /// θ − lr·(m̂/(√v̂+ε) + λθ), as the engine should have computed it.
    var thetaNew: Double { theta - adamStep - decayStep }
  }

  func recomputed(_ i: Int) -> Element {
    let theta = Double(before[before.startIndex + i])
    let g = Double(gradient[gradient.startIndex + i]) * clipScale
    let m0 = Double(previousM?[i] ?? 0), v0 = Double(previousV?[i] ?? 0)
    let mNew = beta1 * m0 + (1 - beta1) * g
    let vNew = beta2 * v0 + (1 - beta2) * g * g
    let mHat = mNew / correction1, vHat = vNew / correction2
    return Element(
      theta: theta, gradient: g, m: mNew, v: vNew, mHat: mHat, vHat: vHat,
      adamStep: learningRate * mHat / (vHat.squareRoot() + eps),
      decayStep: learningRate * weightDecay * theta)
  }

  /// The engine's new value of element `i`.
  func engineAfter(_ i: Int) -> Double { Double(after[after.startIndex + i]) }

  /// max |engine θ − recomputed θ| over the first `count` elements.
  func largestRecomputationError(_ count: Int) -> Double {
    (0..<min(count, entry.count)).map { abs(engineAfter($0) - recomputed($0).thetaNew) }.max() ?? 0
  }
}
