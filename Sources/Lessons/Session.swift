// The notebook kernel a lesson's directives share, in order: the language, the seeded RNG, the
// backend asked for, the cache folder, the last text and batch, and typed slots for what the
// engine directives keep (model, tokenizer) — declared next to the directive that fills them:
//
//     enum ModelSlot: SessionSlot { static var defaultValue: GPT? { nil } }
//     session[ModelSlot.self] = model
import Foundation
import LessonModel
import MiniGPT

/// A key for a value kept in the session between directives.
public protocol SessionSlot {
  associatedtype Value
  static var defaultValue: Value { get }
}

public final class Session {
  /// The lesson's path as given, and the folder its relative paths are resolved against.
  public let lessonPath: String
  public let lessonDirectory: URL
  public var language: LessonLanguage
  /// The seed the session started from (front matter, `--seed`, or `{seed}`).
  public private(set) var seed: UInt64
  /// Every random choice in a lesson draws from this, in document order.
  public var random: SplitMix64
  public var backend: BackendChoice
  /// Where expensive results (trained models) are cached, keyed by what determines them.
  public var cacheDirectory: URL
  /// Model defaults from the front matter (`model: {preset: tiny}`).
  public var modelDefaults: [String: String]
  /// The text the last directive worked on (`{text}` sets it; `{tokenize}` reads it).
  public var lastText: String?
  /// The last token ids and batch produced.
  public var lastTokenIDs: [Int]?
  public var lastBatch: [[Int]]?

  private var slots: [ObjectIdentifier: Any] = [:]
  private(set) var reportedResults: [String: ResultValue] = [:]
  private(set) var measurements: [KeyValue] = []

  public init(
    lessonPath: String, lessonDirectory: URL, language: LessonLanguage = .english,
    seed: UInt64 = 0, backend: BackendChoice = .auto, cacheDirectory: URL? = nil,
    modelDefaults: [String: String] = [:]
  ) {
    self.lessonPath = lessonPath
    self.lessonDirectory = lessonDirectory
    self.language = language
    self.seed = seed
    self.random = SplitMix64(seed: seed)
    self.backend = backend
    self.cacheDirectory =
      cacheDirectory
      ?? lessonDirectory.deletingLastPathComponent().appendingPathComponent("models/cache")
    self.modelDefaults = modelDefaults
  }

  public subscript<Slot: SessionSlot>(slot: Slot.Type) -> Slot.Value {
    get { slots[ObjectIdentifier(slot)].map { $0 as! Slot.Value } ?? Slot.defaultValue }
    set { slots[ObjectIdentifier(slot)] = newValue }
  }

  /// Restarts the random stream (what `{seed}` does).
  public func reseed(_ seed: UInt64) {
    self.seed = seed
    random = SplitMix64(seed: seed)
  }

  /// Reports a named result of the running directive, for `:expect:`.
  public func report(_ name: String, _ value: Double) { reportedResults[name] = .number(value) }
  public func report(_ name: String, _ value: Int) { reportedResults[name] = .number(Double(value)) }
  public func report(_ name: String, text: String) { reportedResults[name] = .text(text) }

  /// Records a measurement that varies from run to run (tokens/s): shown, never compared.
  public func measure(_ label: String, _ value: String) {
    measurements.append(KeyValue(label, value))
  }

  /// Called by the interpreter before each directive.
  func beginDirective() {
    reportedResults = [:]
    measurements = []
  }

  /// The phrase in the session's language.
  public func text(_ phrase: Phrase, _ arguments: String...) -> String {
    phrase.text(language, arguments)
  }
}
