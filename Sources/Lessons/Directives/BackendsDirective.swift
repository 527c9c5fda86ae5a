// {backends}: the same training step (forward, backward, AdamW) of the session's model on two
// backends — by default the CPU and the GPU (Vulkan) — from the same weights on the same batch:
// the largest differences of loss, gradients and updated weights, and each step's time (as a
// measurement). Without a Vulkan device it says so plainly and compares the CPU backend with the
// reference loops instead. The session's model is not changed.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{text} O gato subiu no telhado e a gata desceu da janela.
//     ```
//     ```{backends}
//     :against: reference
//     :batch: 1
//     :seq: 4
//     ```
import Foundation
import LessonModel
import MiniGPT

public struct BackendsDirective: Directive {
  public static let name = "backends"
  public static let summary = "The same training step on two backends: largest differences and timings."
  public static let options: [OptionSpec] =
    TrainingText.options + [
      .choice("baseline", ["cpu", "reference", "gpu"], default: "cpu", help: "the first backend"),
      .choice("against", ["gpu", "reference", "cpu"], default: "gpu", help: "the backend compared with it"),
      .int("batch", default: 4, in: 1...256, help: "sequences in the batch (B)"),
      .int("seq", default: 32, in: 1...4096, help: "tokens per sequence (T)"),
      .float("lr", default: 1e-3, in: 0...10, help: "learning rate of the AdamW step"),
    ]
  public static let results = [
    ResultSpec("loss", "the baseline's loss"), ResultSpec("loss_difference", "|loss a − loss b|"),
    ResultSpec("gradient_difference", "largest |gradient a − gradient b|"),
    ResultSpec("relative_gradient_difference", "that, divided by the largest |gradient|"),
    ResultSpec("parameter_difference", "largest |weight a − weight b| after the step"),
    ResultSpec("gpu_available", "1 when a Vulkan device was found"),
    ResultSpec("compared", "the backend actually compared (gpu, reference or cpu)"),
  ]

  let text: TrainingText
  let baseline: BackendChoice, against: BackendChoice
  let batch: Int, seq: Int
  let learningRate: Float

  public init(_ invocation: Invocation) throws {
    text = try TrainingText(invocation)
    baseline = BackendChoice(rawValue: invocation.string("baseline")!)!
    against = BackendChoice(rawValue: invocation.string("against")!)!
    guard baseline != against else {
      throw ValidationProblem(option: "against", "compare two different backends (both are '\(against)')")
    }
    batch = invocation.int("batch")!
    seq = invocation.int("seq")!
    learningRate = Float(invocation.float("lr")!)
  }

  /// What one backend computed for the step.
  struct StepResult {
    let kind: BackendKind
    let loss: Float
    let gradients: [Float]
    let parameters: [Float]
    let seconds: Double
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let ids = try text.tokens(session, model: model, directive: Self.name)
    let batch = try TrainingBatch(
      ids: ids, B: self.batch, T: seq, config: model.config,
      random: &session.random)
    session.lastBatch = batch.rows
    let language = session.language
    var outputs: [Output] = []
    var gpuAvailable = baseline != .gpu && against != .gpu ? Self.vulkanDeviceCount() > 0 : true

    func open(_ choice: BackendChoice) throws -> (selection: BackendSelection, choice: BackendChoice) {
      do {
        return (try selectBackend(choice, threads: defaultThreadCount()), choice)
      } catch let error where choice == .gpu {
        gpuAvailable = false
        let fallback: BackendChoice = baseline == .reference || against == .reference ? .cpu : .reference
        outputs.append(
          .warning(
            Phrase.backendsNoGPU.richText(
              language,
              [
                TextSpan(LessonError.message(for: error)), TextSpan(fallback.rawValue, style: .code),
              ])))
        return (try selectBackend(fallback, threads: defaultThreadCount()), fallback)
      }
    }
    let first = try open(baseline)
    let second = try open(against)
    let a = try Self.step(model, on: first.selection.backend, batch: batch, learningRate: learningRate)
    let b = try Self.step(model, on: second.selection.backend, batch: batch, learningRate: learningRate)
    let comparison = StepComparison(layout: model.layout, a: a, b: b)

    session.report("loss", Double(a.loss))
    session.report("loss_difference", comparison.lossDifference)
    session.report("gradient_difference", comparison.gradientDifference)
    session.report("relative_gradient_difference", comparison.relativeGradientDifference)
    session.report("parameter_difference", comparison.parameterDifference)
    session.report("gpu_available", gpuAvailable ? 1 : 0)
    session.report("compared", text: second.choice.rawValue)
    for (selection, result) in [(first.selection, a), (second.selection, b)] {
      session.measure(Self.label(result.kind, language), selection.backend.deviceName)
      session.measure(
        Self.label(result.kind, language) + " " + session.text(.stepTime),
        ValueFormat.fixed(1).string(for: result.seconds * 1000) + " ms")
    }
    session.measure(session.text(.timeRatio), ValueFormat.fixed(2).string(for: b.seconds / max(a.seconds, 1e-9)) + "×")

    outputs += comparison.outputs(
      language, labels: (Self.label(a.kind, language), Self.label(b.kind, language)),
      software: (first.selection.backend as? VulkanBackend)?.isSoftwareDevice == true
        || (second.selection.backend as? VulkanBackend)?.isSoftwareDevice == true,
      batch: batch)
    return outputs
  }

  /// A copy of `model` (weights and AdamW state) on `backend`, one step on `batch`. The step is
  /// timed after an untimed forward pass, which allocates buffers and, on Vulkan, loads pipelines.
  static func step(_ model: GPT, on backend: any Backend, batch: TrainingBatch, learningRate: Float) throws -> StepResult {
    let copy = try GPT(config: model.config, backend: backend, parameterValues: model.parameterValues())
    if let m = model.adamM, let v = model.adamV {
      try copy.restoreOptimizer(m: model.read(m), v: model.read(v), step: model.step)
    }
    try copy.forward(tokens: batch.inputs, targets: batch.targets, B: batch.B, T: batch.T)
    let clock = ContinuousClock()
    let start = clock.now
    let loss = try copy.forward(tokens: batch.inputs, targets: batch.targets, B: batch.B, T: batch.T)!
    try copy.zeroGradients()
    try copy.backward()
    let gradients = copy.read(copy.gradients!)
    try copy.applyAdamW(learningRate: learningRate)
    let parameters = copy.parameterValues()
    let seconds = (clock.now - start).seconds
    return StepResult(kind: backend.kind, loss: loss, gradients: gradients, parameters: parameters, seconds: seconds)
  }

  static func label(_ kind: BackendKind, _ language: LessonLanguage) -> String {
    switch kind {
    case .cpu: return Phrase.cpuBackend.text(language, [])
    case .reference: return Phrase.referenceBackend.text(language, [])
    case .vulkan: return Phrase.vulkanBackend.text(language, [])
    }
  }

  static func vulkanDeviceCount() -> Int { (try? VulkanBackend.availableDevices().count) ?? 0 }
}
