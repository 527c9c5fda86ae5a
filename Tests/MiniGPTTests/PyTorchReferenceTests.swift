// The whole model against PyTorch + transformers (Tests/Fixtures/make_reference.py): logits, loss,
// every parameter gradient, the losses and parameters of 10 AdamW steps, and the greedy
// continuation of a prompt — on every backend, to 1e-4 relative or better (llm.c's test_gpt2).
import Foundation
import MiniGPT
import TestSupport
import Testing

@Suite struct PyTorchReferenceTests {
  struct Fixture {
    let checkpoint: Checkpoint
    let file: SafeTensorsFile
    let json: [String: Any]
    let tokens: [Int32], targets: [Int32]
    let B: Int, T: Int
  }

  static func load() throws -> Fixture {
    let dir = TestPaths.fixtures.appendingPathComponent("reference")
    let checkpoint = try Checkpoint.load(from: dir.appendingPathComponent("tiny-gpt2"))
    let file = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("reference.safetensors"))
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("reference.json"))) as! [String: Any]
    let tokens = try file.integers("tokens").map { Int32($0) }
    let targets = try file.integers("targets").map { Int32($0) }
    let shape = file["tokens"]!.shape
    return Fixture(checkpoint: checkpoint, file: file, json: json, tokens: tokens, targets: targets, B: shape[0], T: shape[1])
  }

  /// The fixture's value for a parameter-shaped tensor in the engine's layout ((out, in) for Linear
  /// weights): HF stores Conv1D weights (in, out); `linear.<name>` holds torch's own transpose.
  static func engineLayout(_ f: Fixture, prefix: String, _ name: String) throws -> [Float] {
    let values = try f.file.floats(prefix + name)
    guard ParameterLayout.isConv1DWeight(name) else { return values }
    let shape = f.file[prefix + name]!.shape  // (in, out)
    var out = [Float](repeating: 0, count: values.count)
    for i in 0..<shape[0] { for o in 0..<shape[1] { out[o * shape[0] + i] = values[i * shape[1] + o] } }
    return out
  }

  /// The oracle itself and every backend the conformance suite checks.
  static let backends: [BackendFactory] = [BackendFactory("reference") { ReferenceBackend() }] + conformanceBackends()

  @Test(arguments: backends)
  func logitsLossAndGradientsMatchPyTorch(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }  // no device: the conformance suite says so
    let name = factory.name
    let f = try Self.load()
    let model = try GPT(checkpoint: f.checkpoint, backend: backend)
    let loss = try model.forward(tokens: f.tokens, targets: f.targets, B: f.B, T: f.T)!
    let expectedLoss = Float(f.json["loss"] as! Double)
    #expect(abs(loss - expectedLoss) <= 1e-5 * abs(expectedLoss), "\(name): loss \(loss) vs PyTorch \(expectedLoss)")
    assertClose(model.read(model.activation("logits")!), try f.file.floats("logits"), rtol: 1e-4, atol: 1e-5, "\(name) logits")

    try model.zeroGradients()
    try model.backward()
    for e in model.layout.entries {
      let expected = try Self.engineLayout(f, prefix: "grad.", e.name)
      // Gradients near zero carry only rounding noise: compare them against the tensor's scale.
      let scale = Double(expected.map { abs($0) }.max() ?? 0)
      assertClose(model.read(model.gradient(e.name)!), expected, rtol: 1e-4, atol: 1e-5 * max(scale, 1e-3), "\(name) d\(e.name)")
    }
  }

  @Test(arguments: backends)
  func tenAdamWStepsMatchPyTorch(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }  // no device: the conformance suite says so
    let name = factory.name
    let f = try Self.load()
    let model = try GPT(checkpoint: f.checkpoint, backend: backend)
    let settings = f.json["adamw"] as! [String: Any]
    let betas = settings["betas"] as! [Double]
    let adamW = AdamWSettings(
      beta1: Float(betas[0]), beta2: Float(betas[1]), eps: Float(settings["eps"] as! Double),
      weightDecay: Float(settings["weight_decay"] as! Double), gradientClip: nil)
    let expected = (f.json["adamw_losses"] as! [Double]).map { Float($0) }
    for (i, want) in expected.enumerated() {
      let (loss, _) = try model.trainStep(
        tokens: f.tokens, targets: f.targets, B: f.B, T: f.T,
        learningRate: Float(settings["lr"] as! Double), settings: adamW)
      #expect(abs(loss - want) <= 1e-4 * abs(want), "\(name) step \(i + 1): loss \(loss) vs PyTorch \(want)")
    }
    let C = f.checkpoint.config.embeddingSize, lr = Float(settings["lr"] as! Double)
    for e in model.layout.entries {
      var actual = model.read(model.parameter(e.name)!)
      var expected = try Self.engineLayout(f, prefix: "adamw.", e.name)
      if e.name.hasSuffix("attn.c_attn.bias") {
        // The key bias adds q·b_k to every score of a query, which softmax ignores: its gradient is
        // exactly 0 and both engines only see rounding noise, which Adam's m/√v turns into steps of
        // up to ±lr. Compare q and v biases exactly; bound the key bias by 10 steps of lr.
        let initial = Array(f.checkpoint.parameters[e.offset..<e.offset + e.count])
        for i in C..<2 * C {
          #expect(abs(actual[i] - initial[i]) <= 10 * lr * 1.001, "\(name) \(e.name)[\(i)] moved too far")
        }
        actual.removeSubrange(C..<2 * C)
        expected.removeSubrange(C..<2 * C)
      }
      assertClose(actual, expected, rtol: 1e-4, atol: 1e-5, "\(name) \(e.name) after 10 steps")
    }
  }

  @Test(arguments: backends)
  func greedyContinuationMatchesTransformers(_ factory: BackendFactory) throws {
    guard let backend = try factory.make() else { return }  // no device: the conformance suite says so
    let f = try Self.load()
    let model = try GPT(checkpoint: f.checkpoint, backend: backend)
    let g = f.json["generate"] as! [String: Any]
    let prompt = (g["prompt"] as! [Int]).map { Int32($0) }
    let expected = (g["tokens"] as! [Int]).dropFirst(prompt.count).map { Int32($0) }
    for useCache in [true, false] {
      let (tokens, _) = try model.generate(
        prompt: prompt, maxNewTokens: expected.count, sampling: .greedy, seed: 0, useCache: useCache)
      #expect(tokens == Array(expected), "cache \(useCache)")
    }
  }
}
