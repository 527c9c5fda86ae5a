// {backends}: the baseline's loss against a reference-backend twin computed here, differences
// within float32 rounding, the session's model left as it was, and — with or without a Vulkan
// device — a lesson that still runs and says which backend it compared.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct BackendsDirectiveTests {
  static let setup = smallModel + "```{text} \(trainingText)\n```\n"

  @Test func cpuAgainstReferenceLeavesTheModelAlone() throws {
    let (session, _) = try runKeepingSession(Self.setup)
    let model = try session.model()
    let before = model.parameterValues()
    var random = session.random
    let ids = try session.tokenizer().encode(trainingText).map { Int32($0) }
    let batch = try TokenDataset(tokens: ids, validationFraction: 0, sequenceLength: 8)
      .randomBatch(.train, B: 2, T: 8, rng: &random)
    let loss = try twin(of: model).forward(tokens: batch.inputs, targets: batch.targets, B: 2, T: 8)!

    let result = try run("```{backends}\n:against: reference\n:batch: 2\n:seq: 8\n```\n", in: session)[0]
    #expect(result.text("compared") == "reference")
    #expect(close(result.number("loss")!, Double(loss), relative: 1e-5))
    #expect(result.number("loss_difference")! <= 1e-5 * Double(loss))
    #expect(result.number("relative_gradient_difference")! < 1e-4)
    #expect(result.number("parameter_difference")! < 1e-3)  // at most about lr where a gradient is ≈ ε
    #expect(model.parameterValues() == before && model.step == 0)
    #expect(result.tables[0].rows.map { $0[0] } == ["loss", "gradients", "weights after the step"])
    #expect(result.tables[1].rows.count == 8)
  }

  @Test func theGPUOrAPlainSayingThatThereIsNone() throws {
    let devices = (try? VulkanBackend.availableDevices().count) ?? 0
    let (_, runs) = try runKeepingSession(Self.setup + "```{backends}\n:batch: 1\n:seq: 8\n```\n")
    let result = runs[2]
    if devices > 0 {
      #expect(result.text("compared") == "gpu" && result.number("gpu_available") == 1)
      #expect(result.warnings.isEmpty)
      #expect(result.number("loss_difference")! <= 1e-4 * result.number("loss")!)
    } else {
      #expect(result.text("compared") == "reference" && result.number("gpu_available") == 0)
      #expect(result.warnings.first?.hasPrefix("No Vulkan GPU here — ") == true)
    }
  }

  @Test func twoDifferentBackends() {
    #expect(
      problems("```{backends}\n:baseline: cpu\n:against: cpu\n```\n").map(\.message)
        == ["{backends}: compare two different backends (both are 'cpu')"])
  }
}
