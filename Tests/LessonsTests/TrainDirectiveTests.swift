// {train}: its curve against an independent evaluation (a reference-backend twin of the trained
// model on the validation windows), the warmup schedule worked out by hand, the overfitting rule on
// hand-made curves, and the cache: reused on a second run, rebuilt when corrupt, keyed by settings.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct TrainDirectiveTests {
  static let train =
    "```{train}\n:steps: 6\n:batch: 2\n:seq: 8\n:lr: 0.01\n:warmup: 2\n:eval-every: 3\n:eval-batches: 2\n:validation: 0.2\n```\n"
  static let lesson = smallModel + "```{text} \(trainingText)\n```\n" + train

  @Test func curveAndValidationAgainstAnIndependentEvaluation() throws {
    let (session, runs) = try runKeepingSession(Self.lesson)
    let result = runs[2]
    let model = try session.model()
    #expect(model.step == 6)
    // 95 tokens, the last 20% (Int(95 · 0.2) = 19) held out.
    #expect(result.number("train_tokens") == 76 && result.number("validation_tokens") == 19)

    // Validation windows: consecutive 8-token windows from token 76, while 9 tokens remain: 76 and
    // 84 (92 + 9 > 95), as one batch of 2 rows. Evaluated on a reference-backend twin.
    let ids = try session.tokenizer().encode(trainingText).map { Int32($0) }
    let reference = try twin(of: model)
    var inputs: [Int32] = [], targets: [Int32] = []
    for start in [76, 84] {
      inputs += ids[start..<start + 8]
      targets += ids[start + 1..<start + 9]
    }
    let validation = try reference.forward(tokens: inputs, targets: targets, B: 2, T: 8)!
    #expect(close(result.number("validation_loss")!, Double(validation), relative: 1e-5))
    #expect(close(result.number("perplexity")!, exp(Double(validation)), relative: 1e-5))
    #expect(result.number("train_loss")! < result.number("first_loss")!)
    #expect(result.number("validation_loss")! < result.number("initial_validation_loss")!)

    // The curve: one point per step, evaluations at 0, 3, 6.
    let chart = result.charts[0]
    #expect(chart.series.map { $0.points.count } == [6, 3, 3])
    #expect(chart.series[2].points.map(\.x) == [0, 3, 6])
    #expect(close(chart.series[2].points.last!.y, result.number("validation_loss")!, relative: 1e-6))
    // Warmup then cosine (nanoGPT): lr(i) = 0.01·(i+1)/2 for i < 2, then
    // 0.001 + ½(1 + cos(π(i−2)/4))·0.009: lr(2) = 0.01 at step 3, lr(5) = 0.001 + ½(1 + cos(3π/4))·0.009 ≈ 0.0023180 at step 6.
    let table = result.tables[0]
    #expect(table.rows.map { $0[1] } == ["—", "1.00e-02", "2.32e-03"])
  }

  @Test func aSecondRunReusesTheCacheAndACorruptFileIsRebuilt() throws {
    let cache = temporaryFolder().appendingPathComponent("cache")
    let (first, firstRuns) = try runKeepingSession(Self.lesson, cache: cache)
    let files = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("train-") }
    #expect(files.count == 1)
    let url = cache.appendingPathComponent(files[0])

    let (second, secondRuns) = try runKeepingSession(Self.lesson, cache: cache)
    #expect(secondRuns[2].outputs == firstRuns[2].outputs)
    #expect(try second.model().parameterValues() == first.model().parameterValues())
    #expect(try second.model().step == 6)
    #expect(second.measurements.contains { $0.value == "reused \(files[0])" })

    // A file cut short, and one with garbage, are rebuilt — the results stay the same.
    for damage in [Data(try Data(contentsOf: url).prefix(100)), Data("not a checkpoint".utf8)] {
      try damage.write(to: url)
      let (again, runs) = try runKeepingSession(Self.lesson, cache: cache)
      #expect(runs[2].outputs == firstRuns[2].outputs)
      #expect(try again.model().parameterValues() == first.model().parameterValues())
      #expect(again.measurements.contains { $0.value == "written \(files[0])" })
      #expect(TrainingCache.load(url, key: String(files[0].dropFirst(6).dropLast(12)), config: try again.model().config) != nil)
    }

    // Other settings, another file; :cache: false writes nothing.
    _ = try runKeepingSession(Self.lesson.replacingOccurrences(of: ":steps: 6", with: ":steps: 5"), cache: cache)
    _ = try runKeepingSession(Self.lesson.replacingOccurrences(of: ":steps: 6", with: ":steps: 4\n:cache: false"), cache: cache)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("train-") }.count == 2)
  }

  @Test func overfittingIsValidationRisingWhileTrainingFalls() {
    typealias E = TrainingCurve.Evaluation
    func curve(_ points: [(Float, Float)]) -> TrainingCurve {
      TrainingCurve(
        losses: [], learningRates: [],
        evaluations: points.enumerated().map { E(step: $0.offset * 10, train: $0.element.0, validation: $0.element.1) })
    }
    // Best validation 3.0 at step 10, then 3.2 (> 3.0·1.01) while train fell 2.9 → 2.0: overfitting.
    let overfit = curve([(5, 5), (2.9, 3.0), (2.0, 3.2)]).summary
    #expect(overfit.isOverfitting && overfit.best.step == 10)
    // Still falling at the end: the best is the last check.
    #expect(!curve([(5, 5), (3, 3.5), (2, 3.0)]).summary.isOverfitting)
    // Rose by less than 1 % (3.0 → 3.02): noise, not overfitting.
    #expect(!curve([(5, 5), (2.9, 3.0), (2.0, 3.02)]).summary.isOverfitting)
    // Both rose: not overfitting (the step was too large, or training diverged).
    #expect(!curve([(5, 5), (2.9, 3.0), (3.5, 3.6)]).summary.isOverfitting)
  }

  @Test func aTinyModelOverfitsATinyText() throws {
    // 2 layers of width 16 on 76 training tokens, 60 steps at lr 0.01: it memorises the training
    // part and its validation loss turns up.
    let lesson = Self.lesson.replacingOccurrences(of: ":steps: 6", with: ":steps: 60")
      .replacingOccurrences(of: ":eval-every: 3", with: ":eval-every: 5")
    let (_, runs) = try runKeepingSession(lesson)
    let result = runs[2]
    #expect(result.number("overfitting") == 1)
    #expect(result.number("best_step")! < 60)
    #expect(result.number("validation_loss")! > result.number("best_validation_loss")!)
    #expect(result.explanations.contains { $0.contains("overfitting") })
  }

  @Test func aBatchTooLargeIsRefusedBeforeAllocating() throws {
    // 256 × 4096 tokens: the attention scores alone are 256·4·4096² ≈ 1.7e10 floats.
    let model = "```{model}\n:vocab: 300\n:context: 4096\n:width: 16\n:layers: 1\n:heads: 4\n```\n"
    do {
      _ = try runKeepingSession(model + "```{train}\n:text: \(trainingText)\n:batch: 256\n:seq: 4096\n```\n")
      Issue.record("expected the batch to be refused")
    } catch LessonError.directiveFailed(let message) {
      #expect(message.hasPrefix("a batch of 256 × 4096 tokens needs "))
      #expect(message.hasSuffix("more than the 268435456 allowed: use a smaller ':batch:' or ':seq:'"))
    }
  }

  @Test func aTextTooShortForValidationIsAClearError() {
    #expect(
      throws: LessonError.directiveFailed(
        "invalid tokens: the validation part has 1 tokens; at least 9 are needed (use a larger corpus or shorter sequences) — the text has 12 tokens"
      )
    ) {
      try runKeepingSession(smallModel + "```{train}\n:text: O gato subiu\n:seq: 8\n```\n")
    }
  }
}
