// Hostile text — `<script>` and `"><img onerror=…>` — in prose, in directive arguments and in every
// kind of output must reach the HTML page only as text, and the terminal without escape codes.
import Foundation
import LessonModel
import Render
import Testing

@testable import Lessons

@Suite struct EscapingTests {
  static let script = "<script>alert('x')</script>"
  static let image = "\"><img src=x onerror=alert(1)>"

  func hostileLesson() throws -> EvaluatedLesson {
    let source = """
      ---
      title: X \(Self.script) \(Self.image)
      ---
      Prose with \(Self.script) and \(Self.image) and [a link](javascript:alert(1)).

      <div onclick="alert(2)">raw block</div>

      ```{text} \(Self.script) \(Self.image)
      ```

      ```{bytes}
      :limit: 80
      ```

      ```{fake} \(Self.script)\(Self.image)
      :mode: all
      ```

      ```{note}
      Note with \(Self.script) \(Self.image)
      ```

      ```{fake} \(Self.image)
      :mode: fail
      :expect-error: on purpose
      ```

      ```\(Self.image)
      code \(Self.script)
      ```
      """
    let result = Interpreter().run(try prepare(source))
    #expect(result.failures.isEmpty, "\(result.failures.map(\.summary))")
    return result.lesson
  }

  @Test func htmlHasOnlyItsOwnMarkup() throws {
    let html = HTMLRenderer(showTimings: true).render(try hostileLesson())
    // Exactly one script element: the page's own.
    #expect(html.components(separatedBy: "<script").count == 2)
    #expect(!html.contains("<img"))
    #expect(!html.contains("<div onclick"))
    #expect(!html.contains("javascript:"))
    #expect(!html.contains("alert('x')</script>"))
    // Every attribute is double-quoted and escaped, so a quote from the input never closes one.
    #expect(!html.contains("\"><img"))
    // The hostile text is still there to read, escaped.
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
  }

  @Test func indexEscapesTitlesAndFiles() {
    let html = HTMLRenderer().index(
      entries: [IndexEntry(title: Self.script, file: Self.image, summary: Self.image)],
      language: .english)
    #expect(html.components(separatedBy: "<script").count == 2)
    #expect(!html.contains("<img"))
  }

  @Test func terminalShowsControlCharactersInsteadOfObeyingThem() throws {
    // An escape sequence hidden in a text must not reach the terminal: it is shown as \u{1b}.
    let lesson = Interpreter().run(try prepare("```{text} red \u{1B}[31m here\u{07}\n```\n\n```{bytes}\n```\n")).lesson
    let plain = TerminalRenderer(options: TerminalOptions(colour: .none, width: 80)).render(lesson)
    #expect(!plain.contains("\u{1B}"))
    #expect(!plain.contains("\u{07}"))
    #expect(plain.contains("\\u{1b}[31m"))
    let coloured = TerminalRenderer(options: TerminalOptions(colour: .trueColour, width: 80)).render(lesson)
    #expect(!coloured.contains("\u{1B}[31m"))
  }
}
