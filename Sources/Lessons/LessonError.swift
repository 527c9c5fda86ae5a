// The lesson runner's one error enum: input and environment problems, each naming the file (and
// line, through `Diagnostic`) with a hint. The CLI maps the cases to exit codes.
import LessonModel

public enum LessonError: Error, Equatable, CustomStringConvertible {
  /// A lesson, data file or snapshot could not be read.
  case unreadable(path: String, reason: String)
  /// Problems found before anything ran (syntax, unknown names, types, ranges, paths), all of them.
  case invalidLesson([Diagnostic])
  /// A directive could not do its work; the message is shown at the directive's line.
  case directiveFailed(String)
  /// An output file could not be written.
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): error: cannot read: \(reason)"
    case .invalidLesson(let diagnostics): return diagnostics.map(\.summary).joined(separator: "\n")
    case .directiveFailed(let message): return message
    case .unwritable(let path, let reason): return "\(path): error: cannot write: \(reason)"
    }
  }

  /// A readable message for any error a directive throws (engine errors included).
  static func message(for error: Error) -> String {
    if let lessonError = error as? LessonError { return lessonError.description }
    return String(describing: error)
  }
}
