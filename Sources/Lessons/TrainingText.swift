// Where the training directives ({train-step}, {train}, {backends}) get their tokens: `:text:`
// written in the option, `:file:` next to the lesson, or the session's last text ({text}),
// encoded with the session's tokenizer; and how a batch is cut from them (nanoGPT's get_batch:
// B random windows of T+1 tokens, drawn from the session's seeded random stream).
import Foundation
import LessonModel
import MiniGPT
import Tokenizer

/// The text a training directive works on, as its options describe it.
struct TrainingText {
  static let options: [OptionSpec] = [
    .string("text", help: "the text to train on (default: the last {text})"),
    .path("file", help: "a UTF-8 text file to train on, relative to the lesson"),
  ]

  /// Files larger than this are refused (the project's corpus is 0.3 MB).
  static let maximumFileSize = 64 << 20

  enum Source: Equatable {
    case inline(String)
    case file(URL)
    case session
  }
  let source: Source

  init(_ invocation: Invocation) throws {
    let text = invocation.string("text"), file = invocation.path("file")
    switch (text, file) {
    case (let text?, nil): source = .inline(text)
    case (nil, let file?): source = .file(file)
    case (nil, nil): source = .session
    case (_?, _?): throw ValidationProblem(option: "file", "give ':text:' or ':file:', not both")
    }
  }

  /// The text itself.
  func text(_ session: Session, directive: String) throws -> String {
    switch source {
    case .inline(let text): return text
    case .file(let url):
      return try Lesson.readText(at: url, shownAs: url.lastPathComponent, limit: Self.maximumFileSize)
    case .session:
      guard let text = session.lastText else {
        throw LessonError.directiveFailed(
          "no text to train on: set it with {text} first, or give ':text:' or ':file:' to {\(directive)}")
      }
      return text
    }
  }

  /// The text's token ids under the session's tokenizer (remembered, so a corpus used by several
  /// directives is encoded once), checked against the model's vocabulary.
  func tokens(_ session: Session, model: GPT, directive: String) throws -> [Int32] {
    let text = try text(session, directive: directive)
    let tokenizer = try session.tokenizer()
    let ids: [Int32]
    if let memo = session[EncodedTextSlot.self], memo.tokenizer === tokenizer, memo.text == text {
      ids = memo.ids
    } else {
      ids = tokenizer.encode(text).map { Int32($0) }
      session[EncodedTextSlot.self] = EncodedText(text: text, tokenizer: tokenizer, ids: ids)
    }
    if let bad = ids.first(where: { Int($0) >= model.config.vocabSize }) {
      throw LessonError.directiveFailed(
        "the tokenizer gives id \(bad), but the model's vocabulary has \(model.config.vocabSize) tokens: "
          + "use a model made for this tokenizer")
    }
    session.lastTokenIDs = ids.map(Int.init)
    return ids
  }
}

/// A batch of B windows of T tokens and their next-token targets.
struct TrainingBatch {
  let inputs: [Int32]
  let targets: [Int32]
  let B: Int
  let T: Int

  /// B random windows from `ids`. T is cut to what the text and the model's context allow.
  init(ids: [Int32], B: Int, T requested: Int, config: GPTConfiguration, random: inout SplitMix64) throws {
    let contextLength = config.contextLength
    guard ids.count >= 2 else {
      throw LessonError.directiveFailed(
        "the text gives \(ids.count) token\(ids.count == 1 ? "" : "s"); a training batch needs at least 2 (an input and its next token)"
      )
    }
    let T = min(requested, ids.count - 1, contextLength)
    try Self.checkMemory(config: config, B: B, T: T)
    let data = try TokenDataset(tokens: ids, validationFraction: 0, sequenceLength: T)
    (inputs, targets) = data.randomBatch(.train, B: B, T: T, rng: &random)
    self.B = B
    self.T = T
  }

  /// The most floats a training batch may need for its activations (and as many again for their
  /// gradients): 2 GiB of float32. A batch beyond it is refused before anything is allocated.
  static let maximumActivationFloats = 1 << 29

  /// Refuses a batch whose activations would not fit, with the numbers, instead of failing to allocate.
  static func checkMemory(config: GPTConfiguration, B: Int, T: Int) throws {
    let floats = ActivationLayout(config, B: B, T: T).totalCount
    guard floats <= maximumActivationFloats / 2 else {
      throw LessonError.directiveFailed(
        "a batch of \(B) × \(T) tokens needs \(floats) floats of activations for this model (and as many for their "
          + "gradients), more than the \(maximumActivationFloats / 2) allowed: use a smaller ':batch:' or ':seq:'")
    }
  }

  /// Row `row` of the inputs as ids.
  func inputRow(_ row: Int) -> [Int] { inputs[row * T..<(row + 1) * T].map(Int.init) }
  func targetRow(_ row: Int) -> [Int] { targets[row * T..<(row + 1) * T].map(Int.init) }

  var rows: [[Int]] { (0..<B).map(inputRow) }
}

struct EncodedText {
  let text: String
  let tokenizer: BPETokenizer
  let ids: [Int32]
}

enum EncodedTextSlot: SessionSlot { static var defaultValue: EncodedText? { nil } }

/// How the training directives show tokens: a piece of text per id, spaces and line ends visible.
func visiblePieces(_ ids: [Int], _ tokenizer: BPETokenizer) -> [String] {
  ids.map { id in visible(tokenizer.bytes(of: id).map { String(decoding: $0, as: UTF8.self) } ?? "⟨\(id)⟩") }
}

/// The text of `ids`; an id the tokenizer does not know (a model's vocabulary can be larger than
/// its tokenizer's) is written ⟨id⟩ rather than failing.
func readableText(_ ids: [Int], _ tokenizer: BPETokenizer) -> String {
  var bytes: [UInt8] = []
  for id in ids { bytes += tokenizer.bytes(of: id) ?? Array("⟨\(id)⟩".utf8) }
  return String(decoding: bytes, as: UTF8.self)
}

/// " gato" → "␣gato", "\n" → "↵": whitespace made visible for tables and strips.
func visible(_ piece: String) -> String {
  piece.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "↵")
}
