// {train-step}: the loss, gradient norm, clipping, AdamW moments and new weights it shows are
// recomputed here independently — the gradient by a twin of the model on the reference backend,
// AdamW by its formula in Double (Loshchilov & Hutter 2019, Alg. 2 with Adam's bias correction).
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct TrainStepDirectiveTests {
  static let step = "```{train-step}\n:batch: 2\n:seq: 8\n:lr: 0.01\n:param: h.0.mlp.c_fc.weight\n:elements: 4\n```\n"

  @Test func oneStepEqualsARecomputationFromTheGradient() throws {
    let (session, _) = try runKeepingSession(smallModel + "```{text} \(trainingText)\n```\n")
    let model = try session.model()
    let reference = try twin(of: model)
    // The batch the directive will draw: the session's next random windows.
    var random = session.random
    let ids = try session.tokenizer().encode(trainingText).map { Int32($0) }
    let batch = try TokenDataset(tokens: ids, validationFraction: 0, sequenceLength: 8)
      .randomBatch(.train, B: 2, T: 8, rng: &random)
    let theta = model.parameterValues()

    let result = try run(Self.step, in: session)[0]

    let loss = try reference.forward(tokens: batch.inputs, targets: batch.targets, B: 2, T: 8)!
    try reference.zeroGradients()
    try reference.backward()
    let g = reference.read(reference.gradients!)
    let norm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let scale = min(1, 1 / (norm + 1e-6))  // clip_grad_norm_ to 1
    #expect(close(result.number("loss_before")!, Double(loss), relative: 1e-5))
    #expect(close(result.number("gradient_norm")!, norm, relative: 1e-4))
    #expect(close(result.number("clip_scale")!, scale, relative: 1e-4))
    #expect(result.number("step") == 1)
    #expect(result.number("tokens") == 16)
    // t = 1: 1 − 0.9 = 0.1 and 1 − 0.95 = 0.05 (to float32's β: 0.9f is 0.899999976…).
    #expect(close(result.number("bias_correction1")!, 0.1, absolute: 1e-7))
    #expect(close(result.number("bias_correction2")!, 0.05, absolute: 1e-7))

    // AdamW from m = v = 0: m = (1 − β1)·s·g, v = (1 − β2)·(s·g)², m̂ = m / 0.1, v̂ = v / 0.05,
    // θ′ = θ − lr·(m̂ / (√v̂ + ε) + λ·θ) with lr 0.01, λ 0.1 (a 2-D weight), ε 1e-8.
    let entry = model.layout["h.0.mlp.c_fc.weight"]!
    let (mTensor, vTensor) = model.adamMoments(entry.name)!
    let m = model.read(mTensor), v = model.read(vTensor), after = model.parameterValues()
    let largest = (0..<entry.count).map { abs(Double(g[entry.offset + $0])) * scale }.max()!
    var checkedUpdates = 0
    var expectedM: [Double] = [], expectedV: [Double] = [], expectedTheta: [Double] = []
    for i in 0..<entry.count {
      let gi = Double(g[entry.offset + i]) * scale
      let mi = 0.1 * gi, vi = 0.05 * gi * gi
      let th = Double(theta[entry.offset + i])
      let thetaNew = th - 0.01 * ((mi / 0.1) / ((vi / 0.05).squareRoot() + 1e-8) + 0.1 * th)
      expectedM.append(mi)
      expectedV.append(vi)
      expectedTheta.append(thetaNew)
      #expect(close(Double(m[i]), mi, relative: 1e-3, absolute: 1e-6 * largest))
      #expect(close(Double(v[i]), vi, relative: 2e-3, absolute: 1e-12 * largest * largest))
      // Where |g| is near ε, m̂/√v̂ is sensitive to the last bits of g: compare clear gradients.
      if abs(gi) > 1e-4 * largest {
        checkedUpdates += 1
        #expect(close(Double(after[entry.offset + i]), thetaNew, absolute: 2e-6))
      }
    }
    #expect(checkedUpdates > entry.count / 2)

    // The table shows the engine's numbers for the first 4 elements.
    let table = result.tables.first { $0.headers.first == "i" }!
    #expect(table.rows.count == 4)
    for (i, row) in table.rows.enumerated() {
      #expect(close(number(row[3])!, expectedM[i], relative: 6e-3, absolute: 1e-6 * largest))
      #expect(close(number(row[4])!, expectedV[i], relative: 6e-3, absolute: 1e-12 * largest * largest))
      #expect(close(number(row[8])!, Double(after[entry.offset + i]), absolute: 6e-6))
    }
    #expect(result.number("first_update_error")! < 1e-6)

    // ‖Δθ‖ / ‖θ‖ of the tensor, and the loss after the step on the same batch (reference twin).
    var dd = 0.0, tt = 0.0
    for i in entry.offset..<(entry.offset + entry.count) {
      dd += pow(Double(after[i]) - Double(theta[i]), 2)
      tt += pow(Double(theta[i]), 2)
    }
    #expect(close(result.number("update_ratio")!, (dd / tt).squareRoot(), relative: 1e-6))
    let updated = try twin(of: model)
    let lossAfter = try updated.forward(tokens: batch.inputs, targets: batch.targets, B: 2, T: 8)!
    #expect(close(result.number("loss_after")!, Double(lossAfter), relative: 1e-5))
    #expect(result.number("loss_after")! < result.number("loss_before")!)
    #expect(close(result.number("loss_change")!, result.number("loss_after")! - result.number("loss_before")!, absolute: 1e-12))
  }

  @Test func theSecondStepUsesTheMomentsOfTheFirst() throws {
    let (session, runs) = try runKeepingSession(smallModel + "```{text} \(trainingText)\n```\n" + Self.step)
    let model = try session.model()
    let entry = model.layout["h.0.mlp.c_fc.weight"]!
    let m1 = model.read(model.adamMoments(entry.name)!.m)
    var random = session.random
    let ids = try session.tokenizer().encode(trainingText).map { Int32($0) }
    let batch = try TokenDataset(tokens: ids, validationFraction: 0, sequenceLength: 8)
      .randomBatch(.train, B: 2, T: 8, rng: &random)
    let reference = try twin(of: model)
    try reference.forward(tokens: batch.inputs, targets: batch.targets, B: 2, T: 8)
    try reference.zeroGradients()
    try reference.backward()
    let g = reference.read(reference.gradients!)
    let scale = min(1, 1 / (g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() + 1e-6))

    let second = try run(Self.step, in: session)[0]
    #expect(runs[2].number("step") == 1 && second.number("step") == 2)
    // t = 2: 1 − 0.9² = 0.19 and 1 − 0.95² = 0.0975.
    #expect(close(second.number("bias_correction1")!, 0.19, absolute: 1e-7))
    #expect(close(second.number("bias_correction2")!, 0.0975, absolute: 1e-7))
    let m2 = model.read(model.adamMoments(entry.name)!.m)
    let largest = m1.map { abs(Double($0)) }.max()!
    for i in 0..<entry.count {
      let expected = 0.9 * Double(m1[i]) + 0.1 * Double(g[entry.offset + i]) * scale
      #expect(close(Double(m2[i]), expected, relative: 1e-3, absolute: 1e-5 * largest))
    }
  }

  @Test func filterAndPortuguese() throws {
    let (_, runs) = try runKeepingSession(
      smallModel + "```{text} \(trainingText)\n```\n```{train-step}\n:batch: 1\n:seq: 4\n:filter: ln_f\n```\n",
      language: .brazilianPortuguese)
    let gradients = runs[2].tables.first { $0.barValues != nil }!
    #expect(gradients.rows.map { $0[0] } == ["ln_f.weight", "ln_f.bias"])
    #expect(runs[2].explanations.first?.hasPrefix("Antes do passo, a entropia cruzada média sobre as 4 previsões") == true)
  }

  @Test func problemsAreReported() throws {
    #expect(
      throws: LessonError.directiveFailed(
        "the model has no tensor 'h.9.attn.c_attn.weight' for ':param:' (it has wte.weight, wpe.weight, h.0.ln_1.weight, h.0.ln_1.bias, … ln_f.bias)"
      )
    ) {
      try runKeepingSession(smallModel + "```{train-step}\n:text: \(trainingText)\n:param: h.9.attn.c_attn.weight\n```\n")
    }
    #expect(
      throws: LessonError.directiveFailed(
        "no text to train on: set it with {text} first, or give ':text:' or ':file:' to {train-step}")
    ) {
      try runKeepingSession(smallModel + "```{train-step}\n```\n")
    }
    #expect(
      throws: LessonError.directiveFailed(
        "the text gives 1 token; a training batch needs at least 2 (an input and its next token)")
    ) {
      try runKeepingSession(smallModel + "```{train-step}\n:text: a\n```\n")
    }
    let both = problems("```{train-step}\n:text: abc\n:file: a.txt\n```\n", files: ["a.txt": "abc"])
    #expect(both.map(\.message) == ["{train-step}: give ':text:' or ':file:', not both"])
  }
}
