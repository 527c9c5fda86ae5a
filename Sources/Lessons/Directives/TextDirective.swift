// {text}: sets the text the next directives work on — from the fence line, the body, or a file
// next to the lesson — and shows its size in characters, UTF-8 bytes, lines and words. Engine-free.
//
//     ```{text} O gato subiu no telhado.
//     ```
//
//     ```{text}
//     :file: corpus/machado.txt
//     :preview: 120
//     ```
import Foundation
import LessonModel

public struct TextDirective: Directive {
  public static let name = "text"
  public static let summary = "Set the text the next directives use, and show its size."
  public static let argument = ArgumentRule.optional("the text")
  public static let body = BodyRule.optional
  public static let options: [OptionSpec] = [
    .path("file", help: "a UTF-8 text file, relative to the lesson"),
    .int("preview", default: 200, in: 0...10_000, help: "characters of the text to show"),
  ]
  public static let results = [
    ResultSpec("characters"), ResultSpec("bytes"), ResultSpec("lines"), ResultSpec("words"),
    ResultSpec("distinct", "distinct characters"),
  ]

  /// Texts bigger than this are refused (the lessons' corpora are a few MB at most).
  static let maximumFileSize = 64 << 20

  enum Source {
    case inline(String)
    case file(URL, shownAs: String)
  }
  let source: Source
  let preview: Int

  public init(_ invocation: Invocation) throws {
    let givenSources = [
      !invocation.arguments.isEmpty, !invocation.body.isEmpty,
      invocation.path("file") != nil,
    ].filter { $0 }.count
    guard givenSources == 1 else {
      throw ValidationProblem(
        givenSources == 0
          ? "give the text after {text}, in its body, or with ':file:'"
          : "give the text in only one way: after {text}, in its body, or with ':file:'")
    }
    if let url = invocation.path("file") {
      source = .file(url, shownAs: url.lastPathComponent)
    } else if !invocation.arguments.isEmpty {
      source = .inline(invocation.arguments)
    } else {
      source = .inline(String(invocation.body.dropLast()))  // the body ends with a newline
    }
    preview = invocation.int("preview") ?? 200
  }

  public func run(_ session: Session) throws -> [Output] {
    let text: String
    switch source {
    case .inline(let value): text = value
    case .file(let url, let name):
      text = try Lesson.readText(at: url, shownAs: name, limit: Self.maximumFileSize)
    }
    session.lastText = text
    let characters = text.count
    let bytes = text.utf8.count
    let lines =
      text.isEmpty
      ? 0
      : text.split(separator: "\n", omittingEmptySubsequences: false).count
        - (text.hasSuffix("\n") ? 1 : 0)
    let words = text.split { $0.isWhitespace }.count
    let distinct = Set(text).count
    session.report("characters", characters)
    session.report("bytes", bytes)
    session.report("lines", lines)
    session.report("words", words)
    session.report("distinct", distinct)

    let language = session.language
    var outputs: [Output] = [
      .keyValues(
        KeyValues(
          title: Phrase.textTitle.text(language, []),
          entries: [
            KeyValue(Phrase.characters.text(language, []), String(characters)),
            KeyValue(Phrase.bytes.text(language, []), String(bytes)),
            KeyValue(Phrase.lines.text(language, []), String(lines)),
            KeyValue(Phrase.words.text(language, []), String(words)),
            KeyValue(Phrase.distinctCharacters.text(language, []), String(distinct)),
          ]))
    ]
    if preview > 0 {
      let shown = String(text.prefix(preview))
      outputs.append(.code(CodeListing(text: shown + (characters > preview ? "…" : ""))))
    }
    outputs.append(
      .explanation(
        Phrase.textExplanation.richText(
          language, [TextSpan(String(characters)), TextSpan(String(bytes))])))
    return outputs
  }
}
