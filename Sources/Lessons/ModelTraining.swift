// `{model} :train-on: FILE`: train a byte-level BPE tokenizer (BPETrainer) and a freshly initialised
// model (Trainer: AdamW, warmup + cosine) on a text file, cached by ModelCache so the next run
// reuses them. What the run reports (losses, validation loss) is stored with the model, so a
// cached run shows exactly what the training run showed.
import Foundation
import LessonModel
import MiniGPT
import Tokenizer

struct TrainingRecipe {
  var corpus: URL
  var steps: Int
  var batch: Int
  var sequence: Int?
  var learningRate: Double

  /// Lessons train on small texts; anything larger is refused before it is read.
  static let corpusLimit = 64 << 20

  static let lossesField = "lesson.losses"
  static let validationField = "lesson.validation-loss"
  static let tokenCountField = "lesson.tokens"

  /// Trains (or reuses the cached result), installs model and tokenizer in the session.
  func run(config: GPTConfiguration, seed: Int, backend: any Backend, session: Session) throws -> TrainingSummary {
    let shown = displayPath(corpus, session)
    let bytes = try Self.read(corpus, shownAs: shown)
    let T = sequence ?? min(config.contextLength, 64)
    guard T <= config.contextLength else {
      throw LessonError.directiveFailed("sequence length \(T) exceeds the model's context length \(config.contextLength)")
    }
    let specials = BPETokenizer.defaultSpecialTokens
    guard config.vocabSize >= 256 + specials.count else {
      throw LessonError.directiveFailed(
        "a vocabulary of \(config.vocabSize) is too small to train a byte-level tokenizer (at least \(256 + specials.count))")
    }
    let key = ModelCache.key(
      "model+tokenizer",
      [
        (
          "config",
          "vocab=\(config.vocabSize) context=\(config.contextLength) width=\(config.embeddingSize) layers=\(config.layerCount) heads=\(config.headCount)"
        ),
        ("tokenizer", "bpe vocab=\(config.vocabSize) specials=\(specials.joined(separator: ","))"),
        ("data-sha256", SHA256.hex(bytes)), ("data-bytes", String(bytes.count)),
        ("steps", String(steps)), ("batch", String(batch)), ("sequence", String(T)),
        ("learning-rate", String(learningRate)), ("seed", String(seed)),
      ])
    let cache = ModelCache(directory: session.cacheDirectory)
    var summary = TrainingSummary(
      corpus: shown, corpusBytes: bytes.count, steps: steps, batch: batch, sequence: T,
      learningRate: learningRate)
    switch cache.load(key: key, config: config, backend: backend) {
    case .hit(let model, let tokenizer, let state):
      if let losses = state[Self.lossesField].map(Self.floats), losses.count == steps,
        let tokens = state[Self.tokenCountField].flatMap(Int.init)
      {
        summary.losses = losses
        summary.validationLoss = state[Self.validationField].flatMap(Float.init)
        summary.tokenCount = tokens
        summary.tokenizerVocabulary = tokenizer.vocabularySize
        session.setModel(model, origin: shown)
        session.setTokenizer(tokenizer)
        session.measure(session.text(.modelCache), session.text(.modelCacheReused, cache.modelURL(key).lastPathComponent))
        return summary
      }
      session.measure(session.text(.modelCache), session.text(.modelCacheRejected, "training record incomplete"))
    case .rejected(let reason):
      session.measure(session.text(.modelCache), session.text(.modelCacheRejected, reason))
    case .miss:
      break
    }

    let trained = try BPETrainer(vocabularySize: config.vocabSize, specialTokens: specials).train(corpus: bytes, source: shown)
    let tokenizer = trained.tokenizer
    let tokens = tokenizer.encode(bytes: bytes).map { Int32($0) }
    let data = try TokenDataset(tokens: tokens, validationFraction: 0.1, sequenceLength: T)
    let model = try GPT(config: config, backend: backend, seed: UInt64(seed))
    let settings = TrainingSettings(
      batchSize: batch, sequenceLength: T, steps: steps, learningRate: Float(learningRate),
      seed: UInt64(seed))
    let trainer = try Trainer(model: model, data: data, settings: settings)
    var losses: [Float] = []
    let clock = ContinuousClock()
    let start = clock.now
    while !trainer.isFinished { losses.append(try trainer.runStep().loss) }
    let elapsed = (clock.now - start).components
    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    summary.losses = losses
    summary.validationLoss = try trainer.evaluate(.validation)
    summary.tokenCount = tokens.count
    summary.tokenizerVocabulary = tokenizer.vocabularySize
    session.setModel(model, origin: shown)
    session.setTokenizer(tokenizer)
    session.measure(
      session.text(.modelTrainingTime),
      String(
        format: "%.1f s, %.0f tok/s", seconds,
        Double(steps * batch * T) / max(seconds, 1e-9)))
    var state = [Self.lossesField: losses.map(Self.exact).joined(separator: ","), Self.tokenCountField: String(tokens.count)]
    if let validation = summary.validationLoss { state[Self.validationField] = Self.exact(validation) }
    do {
      try cache.store(key: key, model: model, tokenizer: tokenizer, trainingState: state)
      session.measure(session.text(.modelCache), session.text(.modelCacheStored, cache.modelURL(key).lastPathComponent))
    } catch {
      // A read-only checkout still runs the lesson; it just trains again next time.
      session.measure(session.text(.modelCache), session.text(.modelCacheRejected, LessonError.message(for: error)))
    }
    return summary
  }

  static func read(_ url: URL, shownAs shown: String) throws -> [UInt8] {
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
    if let size, size > corpusLimit {
      throw LessonError.directiveFailed("\(shown) has \(size) bytes; a lesson trains on at most \(corpusLimit >> 20) MB")
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw LessonError.unreadable(path: shown, reason: "cannot read the file")
    }
    guard !data.isEmpty else { throw LessonError.directiveFailed("\(shown) is empty: there is nothing to train on") }
    return [UInt8](data)
  }

  /// A float written so that reading it back gives the same bits (9 significant digits).
  static func exact(_ value: Float) -> String { String(format: "%.9g", Double(value)) }

  static func floats(_ text: String) -> [Float] {
    text.split(separator: ",").compactMap { Float(String($0)) }
  }
}

/// What a training run did, for the outputs (identical whether trained now or reused).
struct TrainingSummary {
  var corpus: String
  var corpusBytes: Int
  var steps: Int
  var batch: Int
  var sequence: Int
  var learningRate: Double
  var losses: [Float] = []
  var validationLoss: Float?
  var tokenCount = 0
  var tokenizerVocabulary = 0

  func outputs(_ session: Session) -> [Output] {
    let loss = ValueFormat.fixed(3)
    var entries = [
      KeyValue(session.text(.modelCorpus), corpus),
      KeyValue(session.text(.modelCorpusBytes), ValueFormat.grouped(corpusBytes)),
      KeyValue(session.text(.modelCorpusTokens), ValueFormat.grouped(tokenCount)),
      KeyValue(session.text(.modelSteps), "\(steps) × \(batch) × \(sequence)"),
      KeyValue(session.text(.modelLearningRate), String(learningRate)),
    ]
    if let first = losses.first, let last = losses.last {
      entries.append(KeyValue(session.text(.modelLossFirstLast), "\(loss.string(for: first)) → \(loss.string(for: last))"))
    }
    if let validationLoss { entries.append(KeyValue(session.text(.modelValidationLoss), loss.string(for: validationLoss))) }
    var series = [
      ChartSeries(
        name: session.text(.modelTrainSeries),
        points: losses.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: Double($0.element)) })
    ]
    if let validationLoss {
      series.append(
        ChartSeries(
          name: session.text(.modelValidationSeries),
          points: [ChartPoint(x: Double(steps), y: Double(validationLoss))]))
    }
    var outputs: [Output] = [
      .keyValues(KeyValues(title: session.text(.modelTrainingTitle), entries: entries)),
      .lineChart(
        LineChart(
          title: session.text(.modelLossCurve), xLabel: session.text(.modelStep),
          yLabel: "loss", series: series)),
    ]
    if let first = losses.first, let last = losses.last {
      // A model that spreads its bets evenly over V tokens has loss ln V: the bar to beat.
      let uniform = Foundation.log(Double(tokenizerVocabulary))
      outputs.append(
        .explanation(
          session.richText(
            .modelTrainingExplanation,
            [
              TextSpan(loss.string(for: first)), TextSpan(loss.string(for: last)), TextSpan(String(steps)),
              TextSpan(String(tokenizerVocabulary)), TextSpan(loss.string(for: uniform)),
              TextSpan(validationLoss.map { loss.string(for: $0) } ?? "–"),
            ])))
    }
    return outputs
  }
}
