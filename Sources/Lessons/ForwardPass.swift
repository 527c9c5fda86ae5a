// What {embed}, {attend} and {block} share: the text (the directive's, or the session's last one)
// through the session's tokenizer and one forward pass of the session's model (B = 1), after which
// every activation is read by name from the engine (ActivationLayout) — nothing is recomputed on
// the side. Also how a token is written in tables, labels and explanations.
import Foundation
import LessonModel
import MiniGPT
import Tokenizer

struct ForwardPass {
  let text: String
  let ids: [Int]
  /// Each token as shown: its bytes as text, whitespace made visible, broken UTF-8 as hex.
  let labels: [String]
  let model: GPT

  var tokenCount: Int { ids.count }
  var config: GPTConfiguration { model.config }

  /// Tokenizes `text` (or the session's last text), runs the model on it and records the text and
  /// ids in the session. `directive` names the caller in messages.
  static func run(_ text: String?, directive: String, session: Session) throws -> ForwardPass {
    guard let text = text ?? session.lastText else {
      throw LessonError.directiveFailed("no text yet: write it after {\(directive)}, or set it with {text} first")
    }
    let tokenizer = try session.tokenizer()
    let model = try session.model()
    let ids = tokenizer.encode(text)
    guard !ids.isEmpty else { throw LessonError.directiveFailed("the text is empty: there is nothing to run the model on") }
    guard ids.count <= model.config.contextLength else {
      throw LessonError.directiveFailed(
        "the text has \(ids.count) tokens; this model reads at most \(model.config.contextLength) (its context length)")
    }
    if let bad = ids.first(where: { $0 >= model.config.vocabSize }) {
      throw LessonError.directiveFailed(
        "token id \(bad) has no row in this model's embedding (vocab_size \(model.config.vocabSize)): the tokenizer does not match the model"
      )
    }
    try model.forward(tokens: ids.map { Int32($0) }, B: 1, T: ids.count)
    session.lastText = text
    session.lastTokenIDs = ids
    let labels = ids.map { tokenLabel(tokenizer.bytes(of: $0) ?? []) }
    return ForwardPass(text: text, ids: ids, labels: labels, model: model)
  }

  /// An activation of this pass as host floats (B = 1, so the batch dimension drops out).
  func activation(_ name: String) throws -> [Float] {
    guard let tensor = model.activation(name) else {
      throw LessonError.directiveFailed("the engine has no activation named '\(name)'")
    }
    return model.read(tensor)
  }

  /// Row `index` of a parameter matrix (a token's row of wte, a position's row of wpe).
  func parameterRow(_ name: String, _ index: Int) -> [Float] {
    model.read(model.parameter(name)!.row(index))
  }

  /// Row `t` of a (T, width) activation read with `activation`.
  static func row(_ values: [Float], _ t: Int, width: Int) -> ArraySlice<Float> {
    values[(t * width)..<((t + 1) * width)]
  }

  /// A token for explanations: the label without its visible leading space ("␣gato" → "gato"),
  /// unless nothing else is left.
  func word(_ t: Int) -> String { tokenWord(labels[t]) }
}

/// A block number as written in a lesson (negative counts from the last: -1 is the last block),
/// checked against the model.
func resolvedLayer(_ requested: Int, layerCount: Int) throws -> Int {
  let layer = requested < 0 ? layerCount + requested : requested
  guard (0..<layerCount).contains(layer) else {
    throw LessonError.directiveFailed(
      "layer \(requested) does not exist: this model has \(layerCount) (0…\(layerCount - 1), or -1…-\(layerCount) from the last)")
  }
  return layer
}

/// A token's bytes as a label: UTF-8 text with space, newline and tab made visible (␣ ↵ ⇥), and
/// bytes that are not valid UTF-8 on their own (half a "ç") as ⟨C3⟩.
func tokenLabel(_ bytes: [UInt8]) -> String {
  if let text = String(validating: bytes, as: UTF8.self) {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case " ": result += "␣"
      case "\n": result += "↵"
      case "\t": result += "⇥"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
  return bytes.map { "⟨" + String($0, radix: 16, uppercase: true).leftPadded(2) + "⟩" }.joined()
}

/// "␣gato" → "gato"; "␣" stays "␣".
func tokenWord(_ label: String) -> String {
  let trimmed = label.drop { $0 == "␣" }
  return trimmed.isEmpty ? label : String(trimmed)
}

/// Euclidean norm.
func norm(_ values: some Collection<Float>) -> Float {
  values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
}

/// Cosine similarity; 0 when either vector is zero.
func cosine(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Float {
  let dot = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
  let n = norm(a) * norm(b)
  return n > 0 ? dot / n : 0
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
