// {note}: a boxed remark for the reader, with light emphasis. Engine-free.
//
//     ```{note}
//     :kind: warning
//     The loss starts near **ln(vocabulary size)**: the untrained model guesses uniformly.
//     ```
import LessonModel

public struct NoteDirective: Directive {
  public static let name = "note"
  public static let summary = "A boxed remark (note or warning) in the lesson's flow."
  public static let body = BodyRule.required
  public static let options: [OptionSpec] = [
    .choice("kind", ["note", "warning"], default: "note", help: "how the box is drawn")
  ]

  let text: RichText
  let isWarning: Bool

  public init(_ invocation: Invocation) throws {
    // Lines of one paragraph are joined, as Markdown joins them.
    let joined = invocation.body.split(separator: "\n").map { $0.trimmingSpaces() }
      .filter { !$0.isEmpty }.joined(separator: " ")
    text = RichText(markup: joined)
    isWarning = invocation.string("kind") == "warning"
  }

  public func run(_ session: Session) throws -> [Output] {
    [isWarning ? .warning(text) : .note(text)]
  }
}
