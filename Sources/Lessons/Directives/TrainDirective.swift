// {train}: N optimizer steps of the session's model on its text, with a held-out validation part
// (the last `:validation:` of the tokens): the loss curve, validation loss and perplexity at
// regular steps, and whether the model has begun to overfit. Warmup + cosine learning rate and
// AdamW as `minigpt-lessons train` (nanoGPT). Cached under the session's cache folder by a hash
// of the model, data and settings (TrainingCache); a second run loads the result.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{text} O gato subiu no telhado. A gata desceu da janela. O cão latiu no quintal.
//     ```
//     ```{train}
//     :steps: 4
//     :batch: 2
//     :seq: 4
//     :eval-every: 2
//     :validation: 0.3
//     ```
import Foundation
import LessonModel
import MiniGPT

public struct TrainDirective: Directive {
  public static let name = "train"
  public static let summary = "Train the model for N steps: loss curve, validation loss, perplexity (cached)."
  public static let options: [OptionSpec] =
    TrainingText.options + [
      .int("steps", default: 100, in: 1...1_000_000, help: "optimizer steps"),
      .int("batch", default: 8, in: 1...1024, help: "sequences per batch (B)"),
      .int("seq", default: 32, in: 1...4096, help: "tokens per sequence (T)"),
      .float("lr", default: 1e-3, in: 0...10, help: "peak learning rate"),
      .int("warmup", in: 0...1_000_000, help: "warmup steps (default: steps / 20)"),
      .float("weight-decay", default: 0.1, in: 0...10, help: "AdamW's weight decay"),
      .int("eval-every", in: 1...1_000_000, help: "steps between validation checks (default: steps / 10)"),
      .int("eval-batches", default: 8, in: 1...1000, help: "batches per validation check"),
      .float("validation", default: 0.1, in: 0.01...0.9, help: "fraction of the tokens held out for validation"),
      .int("seed", in: 0...Int.max, help: "seed of the batch order (default: the lesson's seed)"),
      .bool("cache", default: true, help: "reuse and keep the result under the cache folder"),
    ]
  public static let results = [
    ResultSpec("steps"), ResultSpec("first_loss", "training loss of the first batch"),
    ResultSpec("train_loss", "loss on training text at the end"),
    ResultSpec("validation_loss", "loss on held-out text at the end"),
    ResultSpec("initial_validation_loss"), ResultSpec("perplexity", "e^validation_loss"),
    ResultSpec("best_validation_loss"), ResultSpec("best_step", "step of the lowest validation loss"),
    ResultSpec("overfitting", "1 when validation loss rose from its best while training loss fell"),
    ResultSpec("train_tokens"), ResultSpec("validation_tokens"),
  ]

  let text: TrainingText
  let steps: Int, batch: Int, seq: Int
  let learningRate: Float, warmup: Int?, weightDecay: Float
  let evalEvery: Int?, evalBatches: Int
  let validation: Double
  let seed: UInt64?
  let useCache: Bool

  public init(_ invocation: Invocation) throws {
    text = try TrainingText(invocation)
    steps = invocation.int("steps")!
    batch = invocation.int("batch")!
    seq = invocation.int("seq")!
    learningRate = Float(invocation.float("lr")!)
    warmup = invocation.int("warmup")
    weightDecay = Float(invocation.float("weight-decay")!)
    evalEvery = invocation.int("eval-every")
    evalBatches = invocation.int("eval-batches")!
    validation = invocation.float("validation")!
    seed = invocation.int("seed").map(UInt64.init)
    useCache = invocation.bool("cache")
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let ids = try text.tokens(session, model: model, directive: Self.name)
    let T = min(seq, model.config.contextLength)
    try TrainingBatch.checkMemory(config: model.config, B: batch, T: T)
    let data: TokenDataset
    do {
      data = try TokenDataset(tokens: ids, validationFraction: validation, sequenceLength: T)
    } catch {
      throw LessonError.directiveFailed("\(LessonError.message(for: error)) — the text has \(ids.count) tokens")
    }
    let settings = TrainingSettings(
      batchSize: batch, sequenceLength: T, steps: steps, learningRate: learningRate, warmupSteps: warmup,
      adamW: AdamWSettings(weightDecay: weightDecay), seed: seed ?? session.seed, evaluationBatches: evalBatches)
    let every = evalEvery ?? max(1, steps / 10)

    var hash = TrainingCache.modelState(model)
    ids.withUnsafeBytes { hash.update($0) }
    hash.update(
      "\ntrain B=\(batch) T=\(T) steps=\(steps) lr=\(learningRate) warmup=\(settings.schedule.warmupSteps) "
        + "wd=\(weightDecay) every=\(every) evalBatches=\(evalBatches) validation=\(validation) seed=\(settings.seed)")
    let key = hash.finalizeHex()
    let url = TrainingCache.url(in: session.cacheDirectory, prefix: "train", key: key)

    let clock = ContinuousClock()
    let start = clock.now
    var curve: TrainingCurve
    if useCache, let cached = TrainingCache.load(url, key: key, config: model.config),
      let json = cached.trainingState[TrainingCurve.field],
      let decoded = try? JSONDecoder().decode(TrainingCurve.self, from: Data(json.utf8)),
      decoded.losses.count == steps
    {
      curve = decoded
      session.setModel(try GPT(checkpoint: cached, backend: model.backend), origin: session.modelOrigin ?? "")
      session.measure(session.text(.cacheLabel), session.text(.cacheReused, url.lastPathComponent))
    } else {
      curve = try Self.train(model, data: data, settings: settings, evaluateEvery: every)
      session.measure(
        session.text(.trainingSpeed),
        ValueFormat.fixed(0).string(for: Double(steps * batch * T) / max((clock.now - start).seconds, 1e-9)) + " tokens/s")
      if useCache {
        let encoded = String(decoding: try JSONEncoder().encode(curve), as: UTF8.self)
        let checkpoint = model.checkpoint(trainingState: [TrainingCurve.field: encoded])
        let saved = TrainingCache.save(checkpoint, key: key, to: url)
        session.measure(
          session.text(.cacheLabel),
          session.text(saved ? .cacheWritten : .cacheNotWritten, url.lastPathComponent))
      }
    }

    let summary = curve.summary
    session.report("steps", steps)
    session.report("first_loss", Double(curve.losses.first ?? .nan))
    session.report("train_loss", Double(summary.final.train))
    session.report("validation_loss", Double(summary.final.validation))
    session.report("initial_validation_loss", Double(summary.initial.validation))
    session.report("perplexity", Double(perplexity(loss: summary.final.validation)))
    session.report("best_validation_loss", Double(summary.best.validation))
    session.report("best_step", summary.best.step)
    session.report("overfitting", summary.isOverfitting ? 1 : 0)
    session.report("train_tokens", data.trainRange.count)
    session.report("validation_tokens", data.validationRange.count)
    return TrainView(language: session.language, vocabularySize: model.config.vocabSize).outputs(
      curve: curve, summary: summary, settings: settings, data: data, evaluateEvery: every)
  }

  /// The training loop: a validation check before the first step, every `evaluateEvery` steps
  /// and after the last. Batches come from the settings' seed, so a run is reproducible.
  static func train(
    _ model: GPT, data: TokenDataset, settings: TrainingSettings, evaluateEvery: Int
  ) throws
    -> TrainingCurve
  {
    let trainer = try Trainer(model: model, data: data, settings: settings)
    var rng = SplitMix64(seed: settings.seed)
    let B = settings.batchSize, T = settings.sequenceLength
    var curve = TrainingCurve()
    func evaluate(_ step: Int) throws {
      curve.evaluations.append(
        TrainingCurve.Evaluation(
          step: step, train: try trainer.evaluate(.train) ?? .nan, validation: try trainer.evaluate(.validation) ?? .nan))
    }
    try evaluate(0)
    for i in 0..<settings.steps {
      let batch = data.randomBatch(.train, B: B, T: T, rng: &rng)
      let lr = settings.schedule.learningRate(at: i)
      let (loss, _) = try model.trainStep(
        tokens: batch.inputs, targets: batch.targets, B: B, T: T,
        learningRate: lr, settings: settings.adamW)
      curve.losses.append(loss)
      curve.learningRates.append(lr)
      if (i + 1) % evaluateEvery == 0 || i + 1 == settings.steps { try evaluate(i + 1) }
    }
    return curve
  }
}

/// What a training run recorded: the loss of every batch and the periodic evaluations.
struct TrainingCurve: Codable, Equatable {
  static let field = "lessons.train.curve"

  struct Evaluation: Codable, Equatable {
    var step: Int
    /// Mean loss on fixed windows from the start of each split.
    var train: Float
    var validation: Float
  }
  var losses: [Float] = []
  var learningRates: [Float] = []
  var evaluations: [Evaluation] = []

  struct Summary {
    let initial: Evaluation, final: Evaluation, best: Evaluation
    /// The validation loss rose clearly (by 1 %) above its best while the training loss fell.
    var isOverfitting: Bool {
      best.step < final.step && final.validation > best.validation * 1.01 && final.train < best.train
    }
  }

  var summary: Summary {
    let best = evaluations.min { $0.validation < $1.validation }!
    return Summary(initial: evaluations.first!, final: evaluations.last!, best: best)
  }
}
