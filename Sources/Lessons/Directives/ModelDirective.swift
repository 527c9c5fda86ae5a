// {model}: the model (and tokenizer) the next directives use. Create one from a preset or from
// dimensions, load one (our .safetensors, or a Hugging Face GPT-2 folder), or train one on a text
// file and cache it; with no options, the shipped model. Shows the configuration and the parameter
// table of GPT-2 (Radford et al. 2019; HF GPT2Config names), counted from the engine's layout.
//
//     ```{model}
//     :preset: micro
//     :seed: 7
//     :expect: parameters = 136960; layers = 2
//     ```
import Foundation
import LessonModel
import MiniGPT
import Tokenizer

public struct ModelDirective: Directive {
  public static let name = "model"
  public static let summary = "Create, load or train the model the lesson uses; show its configuration and parameters."
  /// Sizes for lessons on top of the engine's presets: `micro` trains in seconds on two cores.
  static let lessonPresets: [String: GPTConfiguration] = [
    "micro": GPTConfiguration(vocabSize: 512, contextLength: 64, embeddingSize: 64, layerCount: 2, headCount: 4)
  ]
  static let presets = GPTConfiguration.presets.merging(lessonPresets) { engine, _ in engine }
  static let sizeOptions = ["vocab", "context", "width", "layers", "heads"]

  public static let options: [OptionSpec] = [
    .choice("preset", presets.keys.sorted(), help: "a named configuration"),
    .int("vocab", in: 1...(1 << 20), help: "vocabulary size (vocab_size)"),
    .int("context", in: 1...65_536, help: "context length (n_positions)"),
    .int("width", in: 1...16_384, help: "embedding width (n_embd)"),
    .int("layers", in: 1...128, help: "transformer blocks (n_layer)"),
    .int("heads", in: 1...256, help: "attention heads (n_head)"),
    .int("seed", in: 0...Int.max, help: "initialisation seed (default: the lesson's)"),
    .path("path", help: "our .safetensors file, or a Hugging Face GPT-2 folder"),
    .path("tokenizer", help: "a tokenizer.json (default: beside the model)"),
    .path("train-on", help: "a text file to train the tokenizer and the model on"),
    .int("steps", default: 200, in: 1...100_000, help: "training steps"),
    .int("batch", default: 8, in: 1...1024, help: "sequences per training step"),
    .int("sequence", in: 1...65_536, help: "tokens per training sequence (default: min(context, 64))"),
    .float("learning-rate", default: 1e-3, in: 1e-7...1, help: "peak learning rate"),
    .choice("backend", BackendChoice.allCases.map(\.rawValue), help: "where the model runs"),
    .bool("all-layers", help: "list every block's parameters, not just the first block's"),
  ]
  public static let results = [
    ResultSpec("parameters"), ResultSpec("layers"), ResultSpec("heads"), ResultSpec("width"),
    ResultSpec("vocab"), ResultSpec("context"), ResultSpec("head-size"),
    ResultSpec("tokenizer-vocab", "the tokenizer's vocabulary size"),
    ResultSpec("loss", "last training loss (with :train-on:)"),
    ResultSpec("validation-loss", "validation loss after training (with :train-on:)"),
  ]

  let preset: String?
  let sizes: [String: Int]
  let seed: Int?
  let path: URL?
  let tokenizerPath: URL?
  let recipe: TrainingRecipe?
  let backend: BackendChoice?
  let allLayers: Bool

  public init(_ invocation: Invocation) throws {
    preset = invocation.string("preset")
    sizes = Dictionary(uniqueKeysWithValues: Self.sizeOptions.compactMap { key in invocation.int(key).map { (key, $0) } })
    seed = invocation.int("seed")
    path = invocation.path("path")
    tokenizerPath = invocation.path("tokenizer")
    backend = invocation.string("backend").flatMap(BackendChoice.init(rawValue:))
    allLayers = invocation.bool("all-layers")
    let trainOn = invocation.path("train-on")
    if path != nil {
      if let conflicting = (["preset", "train-on", "seed"] + Self.sizeOptions).first(where: { invocation.values[$0] != nil }) {
        throw ValidationProblem(
          option: conflicting, "':\(conflicting):' cannot be combined with ':path:' (a loaded model has its own configuration)")
      }
    }
    if trainOn != nil, tokenizerPath != nil {
      throw ValidationProblem(
        option: "tokenizer", "':tokenizer:' cannot be combined with ':train-on:', which trains its own tokenizer")
    }
    if let width = sizes["width"], let heads = sizes["heads"], width % heads != 0 {
      throw ValidationProblem(option: "heads", "the width (\(width)) must be divisible by the number of heads (\(heads))")
    }
    recipe = trainOn.map {
      TrainingRecipe(
        corpus: $0, steps: invocation.int("steps") ?? 200, batch: invocation.int("batch") ?? 8,
        sequence: invocation.int("sequence"), learningRate: invocation.float("learning-rate") ?? 1e-3)
    }
  }

  /// True when the directive names no model: it then shows the shipped one.
  var usesShippedModel: Bool { preset == nil && sizes.isEmpty && path == nil && recipe == nil && seed == nil }

  public func run(_ session: Session) throws -> [Output] {
    let engine = try backend.map { try session.useBackend($0) } ?? session.engineBackend()
    var outputs: [Output] = []
    var training: TrainingSummary?
    let origin: String
    if let path {
      origin = displayPath(path, session)
      let model = try GPT(checkpoint: try Checkpoint.load(from: path), backend: engine)
      session.setModel(model, origin: origin)
      session.setTokenizer(try loadTokenizer(besideModelAt: path, session))
    } else if let recipe {
      let config = try configuration(session)
      let summary = try recipe.run(config: config, seed: try initialisationSeed(session), backend: engine, session: session)
      origin = displayPath(recipe.corpus, session)
      training = summary
    } else if usesShippedModel && session.modelDefaults.isEmpty {
      session[ModelSlot.self] = nil
      session[TokenizerSlot.self] = nil
      _ = try session.model()
      origin = session.modelOrigin ?? "models/mini_gpt.safetensors"
    } else {
      let config = try configuration(session)
      let seed = try initialisationSeed(session)
      session.setModel(try GPT(config: config, backend: engine, seed: UInt64(seed)), origin: "seed \(seed)")
      origin = preset.map { "preset \($0), seed \(seed)" } ?? "seed \(seed)"
      let (tokenizer, note) = try tokenizerForNewModel(config, session)
      session.setTokenizer(tokenizer)
      if let note { outputs.append(.note(note)) }
    }
    let model = try session.model()
    let tokenizer = try session.tokenizer()
    report(model.config, tokenizer: tokenizer, training: training, session)
    if tokenizer.vocabularySize > model.config.vocabSize {
      outputs.append(
        .warning(
          session.richText(
            .modelTokenizerTooLarge,
            [
              TextSpan(String(tokenizer.vocabularySize)), TextSpan(String(model.config.vocabSize)),
            ])))
    }
    session.measure(session.text(.modelBackend), model.backend.deviceName)
    outputs.insert(.keyValues(configurationTable(model.config, origin: origin, tokenizer: tokenizer, session)), at: 0)
    outputs.append(.table(ParameterTable(layout: model.layout, allLayers: allLayers).table(session)))
    if let training { outputs += training.outputs(session) }
    outputs.append(.explanation(ParameterTable(layout: model.layout, allLayers: allLayers).explanation(model.config, session)))
    return outputs
  }

  private func report(_ config: GPTConfiguration, tokenizer: BPETokenizer, training: TrainingSummary?, _ session: Session) {
    session.report("parameters", config.parameterCount)
    session.report("layers", config.layerCount)
    session.report("heads", config.headCount)
    session.report("width", config.embeddingSize)
    session.report("vocab", config.vocabSize)
    session.report("context", config.contextLength)
    session.report("head-size", config.headSize)
    session.report("tokenizer-vocab", tokenizer.vocabularySize)
    if let training {
      session.report("loss", Double(training.losses.last ?? .nan))
      if let validation = training.validationLoss { session.report("validation-loss", Double(validation)) }
    }
  }

  /// The preset (or front-matter preset, or micro), with the size options on top.
  func configuration(_ session: Session) throws -> GPTConfiguration {
    let presetName = preset ?? session.modelDefaults["preset"] ?? "micro"
    guard var config = Self.presets[presetName] else {
      throw LessonError.directiveFailed(
        "unknown model preset '\(presetName)' (front matter); known: \(Self.presets.keys.sorted().joined(separator: ", "))")
    }
    func size(_ key: String) throws -> Int? {
      if let value = sizes[key] { return value }
      guard let text = session.modelDefaults[key] else { return nil }
      guard let value = Int(text), value > 0 else {
        throw LessonError.directiveFailed("front matter model.\(key) must be a positive whole number, got '\(text)'")
      }
      return value
    }
    if let v = try size("vocab") { config.vocabSize = v }
    if let v = try size("context") { config.contextLength = v }
    if let v = try size("width") { config.embeddingSize = v }
    if let v = try size("layers") { config.layerCount = v }
    if let v = try size("heads") { config.headCount = v }
    try config.validate(maxParameters: 200_000_000)
    return config
  }

  private func initialisationSeed(_ session: Session) throws -> Int {
    if let seed { return seed }
    if let text = session.modelDefaults["seed"] {
      guard let value = Int(text), value >= 0 else {
        throw LessonError.directiveFailed("front matter model.seed must be a whole number ≥ 0, got '\(text)'")
      }
      return value
    }
    return Int(truncatingIfNeeded: session.seed & 0x7FFF_FFFF_FFFF_FFFF)
  }

  /// `:tokenizer:`; else, for a folder, its tokenizer.json (or vocab.json + merges.txt); for a
  /// file X.safetensors, X.tokenizer.json or a tokenizer.json beside it.
  private func loadTokenizer(besideModelAt path: URL, _ session: Session) throws -> BPETokenizer {
    if let tokenizerPath { return try BPETokenizer.load(from: tokenizerPath) }
    let fm = FileManager.default
    var isFolder: ObjCBool = false
    _ = fm.fileExists(atPath: path.path, isDirectory: &isFolder)
    if isFolder.boolValue {
      if fm.fileExists(atPath: path.appendingPathComponent("tokenizer.json").path)
        || fm.fileExists(atPath: path.appendingPathComponent("vocab.json").path)
      {
        return try BPETokenizer.load(from: path)
      }
    } else {
      for candidate in [
        path.deletingPathExtension().appendingPathExtension("tokenizer.json"),
        path.deletingLastPathComponent().appendingPathComponent("tokenizer.json"),
      ]
      where fm.fileExists(atPath: candidate.path) {
        return try BPETokenizer.load(from: candidate)
      }
    }
    throw LessonError.directiveFailed(
      "no tokenizer found for \(displayPath(path, session)): put "
        + (isFolder.boolValue
          ? "tokenizer.json in the folder" : "\(path.deletingPathExtension().lastPathComponent).tokenizer.json beside it")
        + ", or name one with ':tokenizer:'")
  }

  /// A new model's tokenizer: `:tokenizer:`, else the shipped one if it fits the vocabulary,
  /// else one that knows only the 256 bytes (and the special tokens).
  private func tokenizerForNewModel(_ config: GPTConfiguration, _ session: Session) throws -> (BPETokenizer, RichText?) {
    if let tokenizerPath { return (try BPETokenizer.load(from: tokenizerPath), nil) }
    if FileManager.default.fileExists(atPath: session.shippedTokenizerURL.path),
      let shipped = try? BPETokenizer.load(from: session.shippedTokenizerURL), shipped.vocabularySize <= config.vocabSize
    {
      return (shipped, nil)
    }
    let bytesOnly = try BPETrainer(vocabularySize: 256 + BPETokenizer.defaultSpecialTokens.count).train(corpus: [0x61]).tokenizer
    return (bytesOnly, session.richText(.modelBytesTokenizer, [TextSpan(String(bytesOnly.vocabularySize))]))
  }

  private func configurationTable(
    _ config: GPTConfiguration, origin: String, tokenizer: BPETokenizer,
    _ session: Session
  ) -> KeyValues {
    let count = ValueFormat.grouped
    return KeyValues(
      title: session.text(.modelConfigurationTitle),
      entries: [
        KeyValue(session.text(.modelSource), origin),
        KeyValue("vocab_size", String(config.vocabSize)),
        KeyValue("n_positions", String(config.contextLength)),
        KeyValue("n_embd", String(config.embeddingSize)),
        KeyValue("n_layer", String(config.layerCount)),
        KeyValue("n_head", String(config.headCount)),
        KeyValue(session.text(.modelHeadSize), String(config.headSize)),
        KeyValue(session.text(.modelParameterCount), count(config.parameterCount)),
        KeyValue(session.text(.modelTokenizerVocabulary), String(tokenizer.vocabularySize)),
      ])
  }
}

/// A path as the lesson wrote it: relative to the lesson's folder when inside it.
func displayPath(_ url: URL, _ session: Session) -> String {
  let root = session.lessonDirectory.standardizedFileURL.path
  let path = url.standardizedFileURL.path
  let prefix = root.hasSuffix("/") ? root : root + "/"
  if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
  let parent = session.lessonDirectory.deletingLastPathComponent().standardizedFileURL.path
  let parentPrefix = parent.hasSuffix("/") ? parent : parent + "/"
  return path.hasPrefix(parentPrefix) ? "../" + path.dropFirst(parentPrefix.count) : url.lastPathComponent
}

extension ValueFormat {
  /// 1234567 → "1,234,567" (the same in every language, so snapshots do not depend on it).
  static func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var result = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return value < 0 ? "-" + result : result
  }
}

extension Session {
  /// A phrase as rich text in the session's language.
  func richText(_ phrase: Phrase, _ arguments: [TextSpan]) -> RichText { phrase.richText(language, arguments) }
}
