// Preparing a `train` run: a fresh one (configuration, defaults, memory check, tokenizer, data,
// model) or a resumed one (everything read back from the checkpoint, options that would change
// the run refused, the corpus checked against the recorded fingerprint).
import ArgumentParser
import Foundation
import MiniGPT
import Tokenizer

struct TrainingSetup {
  let trainer: Trainer
  let record: TrainingRecord
  /// Which defaults were applied, for the user.
  let defaultsNote: String?
}

extension TrainCommand {
  // The shipped model's recipe (models/README.md): `train --weights-only --force` reproduces it.
  static let defaultEpochs = 20
  static let defaultSeed: UInt64 = 1337
  /// A corpus of a few hundred kilobytes supports about two thousand tokens; larger vocabularies
  /// leave most embedding rows rarely trained. (The presets' own vocabularies are for benchmarks.)
  static let defaultVocabularySize = 2048

  func freshSetup(outURL: URL, backend: any Backend) throws -> TrainingSetup {
    let files = FileManager.default
    if files.fileExists(atPath: outURL.path) && !force {
      throw CLIError.invalidValue(
        "\(out) exists; use --resume to continue it, --force to replace it, or --out to write another file")
    }
    let dataURL = try resolveData(data)
    let configName = config ?? "tiny"
    var cfg = GPTConfiguration.presets[configName]!
    if let layers { cfg.layerCount = layers }
    if let heads { cfg.headCount = heads }
    if let embedding { cfg.embeddingSize = embedding }
    if let context { cfg.contextLength = context }
    let loadedTokenizer = try tokenizer.map { try BPETokenizer.load(from: URL(fileURLWithPath: $0)) }
    cfg.vocabSize = loadedTokenizer?.vocabularySize ?? vocabularySize ?? Self.defaultVocabularySize
    let custom = [layers, heads, embedding, context].contains { $0 != nil }
    try cfg.validate()

    let defaults = TrainingDefaults.forBackend(backend.kind, config: cfg)
    let B = batchSize ?? defaults.batchSize, T = cfg.contextLength
    let lr = learningRate ?? defaults.learningRate
    try MemoryBudget.check(
      GPT.estimatedTrainingBytes(cfg, B: B, T: T, lean: true),  // train runs in lean mode
      what: "training n_layer \(cfg.layerCount), n_embd \(cfg.embeddingSize), vocab \(cfg.vocabSize) with batch \(B) × \(T)")
    var notes: [String] = []
    if batchSize == nil { notes.append(defaults.batchReason) }
    if learningRate == nil { notes.append(defaults.learningRateReason) }

    try files.createDirectory(at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    let corpus = try BPETrainer.readCorpus(at: dataURL)
    let bpe: BPETokenizer
    let tokenizerURL: URL
    if let loadedTokenizer, let path = tokenizer {
      bpe = loadedTokenizer
      tokenizerURL = URL(fileURLWithPath: path)
    } else {
      bpe = try trainTokenizer(corpus: corpus, source: dataURL.path, vocabularySize: cfg.vocabSize)
      tokenizerURL = ProjectFiles.tokenizerURL(besideModel: outURL)
      try bpe.save(to: tokenizerURL)
      print("tokenizer: \(bpe.vocabularySize) tokens trained on \(grouped(corpus.count)) bytes → \(tokenizerURL.path)")
      if bpe.vocabularySize < cfg.vocabSize {
        print("note: the data ran out of pairs at \(bpe.vocabularySize) tokens; the model keeps vocab \(cfg.vocabSize)")
      }
    }
    let tokens = bpe.encode(bytes: corpus).map { Int32($0) }
    let dataset = try TokenDataset(tokens: tokens, validationFraction: validationFraction, sequenceLength: T)
    let stepsPerEpoch = max(1, (dataset.trainRange.count + B * T - 1) / (B * T))
    if steps == nil && epochs == nil { notes.append("\(Self.defaultEpochs) epochs") }
    let totalSteps = steps ?? (epochs ?? Self.defaultEpochs) * stepsPerEpoch
    // The whole validation split, in at most 64 batches.
    let evaluationBatches = min(64, max(1, (dataset.validationRange.count + B * T - 1) / (B * T)))
    let settings = TrainingSettings(
      batchSize: B, sequenceLength: T, steps: totalSteps, learningRate: lr,
      warmupSteps: warmup, seed: seed ?? Self.defaultSeed,
      evaluationBatches: evaluationBatches)
    let model = try GPT(config: cfg, backend: backend, seed: settings.seed)
    model.leanActivations = true  // training only: a third less memory, the same numbers
    let trainer = try Trainer(model: model, data: dataset, settings: settings)
    let record = TrainingRecord(
      settings: settings, rngState: trainer.rng.state, tokenizer: Self.relativePath(of: tokenizerURL, from: outURL),
      dataPath: Self.recordedPath(of: dataURL), dataTokens: tokens.count, dataFingerprint: TrainingRecord.fingerprint(tokens),
      validationFraction: validationFraction, stepsPerEpoch: stepsPerEpoch,
      configName: custom ? "\(configName) (custom)" : configName)
    return TrainingSetup(trainer: trainer, record: record, defaultsNote: notes.isEmpty ? nil : notes.joined(separator: "; "))
  }

  func resumeSetup(outURL: URL, backend: any Backend) throws -> TrainingSetup {
    guard FileManager.default.fileExists(atPath: outURL.path) else {
      throw CLIError.missingFile("\(out): no checkpoint to resume (train without --resume first)")
    }
    let changed: [(String, Bool)] = [
      ("--config", config != nil), ("--layers", layers != nil), ("--heads", heads != nil),
      ("--embedding", embedding != nil), ("--context", context != nil), ("--tokenizer", tokenizer != nil),
      ("--vocab-size", vocabularySize != nil), ("--seed", seed != nil), ("--batch-size", batchSize != nil),
      ("--lr", learningRate != nil), ("--warmup", warmup != nil), ("--force", force),
    ]
    if let given = changed.first(where: { $0.1 }) {
      throw ValidationError("\(given.0) cannot be used with --resume: the run continues with the settings saved in \(out)")
    }
    let checkpoint = try Checkpoint.load(from: outURL)
    var record = try TrainingRecord(state: checkpoint.trainingState, path: out)
    guard checkpoint.optimizer != nil else {
      throw CLIError.invalidValue("\(out) holds no AdamW state (it was saved with --weights-only), so it cannot be resumed")
    }
    let folder = outURL.deletingLastPathComponent()
    let tokenizerURL =
      record.tokenizer.hasPrefix("/") ? URL(fileURLWithPath: record.tokenizer) : folder.appendingPathComponent(record.tokenizer)
    let bpe = try BPETokenizer.load(from: tokenizerURL)
    let dataURL = try resolveData(data ?? record.dataPath)
    let tokens = bpe.encode(bytes: try BPETrainer.readCorpus(at: dataURL)).map { Int32($0) }
    guard TrainingRecord.fingerprint(tokens) == record.dataFingerprint, tokens.count == record.dataTokens else {
      throw CLIError.mismatch(
        "\(dataURL.path) gives \(tokens.count) tokens that differ from the \(record.dataTokens) the run in \(out) was "
          + "trained on (\(record.dataPath)); resume with the same data, or train a new model")
    }
    var settings = record.settings
    if steps != nil || epochs != nil {
      let total = steps ?? (epochs! * record.stepsPerEpoch)
      if total != settings.steps {
        print("note: the run's total changes from \(settings.steps) to \(total) steps; the learning-rate schedule follows")
      }
      settings.steps = total
      settings.schedule.totalSteps = total
    }
    record.settings = settings
    let dataset = try TokenDataset(
      tokens: tokens, validationFraction: record.validationFraction,
      sequenceLength: settings.sequenceLength)
    let model = try GPT(checkpoint: checkpoint, backend: backend)
    model.leanActivations = true
    let trainer = try Trainer(model: model, data: dataset, settings: settings)
    trainer.rng = SplitMix64(seed: record.rngState)  // init(seed:) sets the state itself
    return TrainingSetup(trainer: trainer, record: record, defaultsNote: nil)
  }

  /// The data file: as given, else (a relative path that is not here) found like the default
  /// corpus, in the current folder or above the executable.
  private func resolveData(_ path: String?) throws -> URL {
    let wanted = path ?? ProjectFiles.corpus
    if FileManager.default.fileExists(atPath: wanted) { return URL(fileURLWithPath: wanted) }
    if !wanted.hasPrefix("/"), let found = ProjectFiles.locate(wanted) { return found }
    throw CLIError.missingFile(
      path == nil
        ? "no --data given and \(ProjectFiles.corpus) was not found; pass --data FILE"
        : "\(wanted): no such data file")
  }

  /// How the data is recorded: relative to the current folder when it lies inside it (the
  /// default corpus in a checkout), so the record names no machine-specific folder.
  static func recordedPath(of data: URL) -> String {
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
    let full = data.standardizedFileURL.path
    return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
  }

  private func trainTokenizer(corpus: [UInt8], source: String, vocabularySize: Int) throws -> BPETokenizer {
    let bar = ProgressBar(enabled: !quiet && Terminal.standardErrorIsTTY)
    let result = try BPETrainer(vocabularySize: vocabularySize).train(corpus: corpus, source: source) { bar.update($0) }
    bar.finish()
    return result.tokenizer
  }

  /// The tokenizer's path as recorded: its file name when it lies beside the model.
  static func relativePath(of file: URL, from model: URL) -> String {
    let folder = model.deletingLastPathComponent().standardizedFileURL.path
    let filePath = file.standardizedFileURL.path
    if file.deletingLastPathComponent().standardizedFileURL.path == folder { return file.lastPathComponent }
    return filePath.hasPrefix("/") ? filePath : URL(fileURLWithPath: filePath).standardizedFileURL.path
  }
}
