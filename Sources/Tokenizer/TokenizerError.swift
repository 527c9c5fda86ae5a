// TokenizerError: the one error enum of the Tokenizer module (bad input, bad files, bad ids).
// Every message names the file (or "corpus", "ids") and the problem, with a hint where one helps.
import Foundation

public enum TokenizerError: Error, Equatable, CustomStringConvertible, LocalizedError {
  /// The training corpus has no bytes.
  case emptyCorpus(source: String)
  /// The requested vocabulary cannot hold the 256 byte tokens plus the special tokens.
  case vocabularyTooSmall(requested: Int, minimum: Int)
  /// A special token is empty, repeated, or otherwise unusable.
  case invalidSpecialToken(String, reason: String)
  /// A file could not be read or written.
  case fileAccess(path: String, problem: String)
  /// A file is larger than the reader accepts (protects against enormous allocations).
  case fileTooLarge(path: String, bytes: Int, limit: Int)
  /// A file is not well-formed JSON; `line` is 1-based.
  case invalidJSON(path: String, line: Int, problem: String)
  /// A file is well-formed but its content is wrong: `field` is a JSON path such as `model.vocab`.
  case invalidFile(path: String, field: String, problem: String)
  /// A file asks for a feature this tokenizer does not implement.
  case unsupported(path: String, field: String, feature: String)
  /// `decode` was given an id that names no token.
  case unknownTokenID(Int, position: Int, vocabularySize: Int)

  public var description: String {
    switch self {
    case .emptyCorpus(let source):
      return "\(source): the training corpus is empty; give a file with some text in it"
    case .vocabularyTooSmall(let requested, let minimum):
      return "vocabulary size \(requested) is too small: it must hold the 256 byte tokens and the "
        + "special tokens, at least \(minimum)"
    case .invalidSpecialToken(let token, let reason):
      return "special token \(quoted(token)): \(reason)"
    case .fileAccess(let path, let problem):
      return "\(path): \(problem)"
    case .fileTooLarge(let path, let bytes, let limit):
      return "\(path): the file has \(bytes) bytes, more than the \(limit) this reader accepts"
    case .invalidJSON(let path, let line, let problem):
      return "\(path):\(line): invalid JSON: \(problem)"
    case .invalidFile(let path, let field, let problem):
      return "\(path): \(field): \(problem)"
    case .unsupported(let path, let field, let feature):
      return "\(path): \(field): \(feature) is not supported by this byte-level BPE tokenizer"
    case .unknownTokenID(let id, let position, let vocabularySize):
      return "ids[\(position)]: token id \(id) is not in the vocabulary (ids run from 0 to \(vocabularySize - 1))"
    }
  }

  public var errorDescription: String? { description }
}

/// A string quoted and escaped for an error message, cut if it is long (hostile input can be huge).
func quoted(_ text: String, limit: Int = 60) -> String {
  var shown = text.unicodeScalars.count > limit ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…" : text
  shown = shown.unicodeScalars.map { scalar -> String in
    switch scalar {
    case "\"": return "\\\""
    case "\\": return "\\\\"
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    default:
      return scalar.value < 0x20 || scalar.value == 0x7F
        ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
    }
  }.joined()
  return "\"\(shown)\""
}
