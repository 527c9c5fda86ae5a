// End to end: a fixture lesson parsed, run and rendered to the terminal (plain, 256 colours and
// 24-bit colour, at two widths) and to HTML, compared with golden files; the same lesson rendered
// twice is byte-identical; every terminal line fits its width.
import Foundation
import LessonModel
import Render
import TestSupport
import Testing

@testable import Lessons

/// The showcase lesson, run once and shared by the tests below.
func runShowcase() throws -> EvaluatedLesson {
  let folder = TestPaths.fixtures.appendingPathComponent("lessons")
  let source = try String(contentsOf: folder.appendingPathComponent("showcase.md"), encoding: .utf8)
  let lesson = try Lesson.prepare(
    source: source, path: "lessons/showcase.md", lessonDirectory: folder,
    registry: testRegistry)
  let result = Interpreter().run(lesson)
  #expect(result.failures.isEmpty, "\(result.failures.map(\.summary))")
  return result.lesson
}

/// Removes SGR escape sequences, to measure what a terminal shows.
func strippingEscapes(_ text: String) -> String {
  text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
}

@Suite struct GoldenLessonTests {
  @Test(arguments: [
    ("showcase.plain.100.txt", TerminalOptions(colour: .none, width: 100)),
    ("showcase.plain.60.txt", TerminalOptions(colour: .none, width: 60)),
    ("showcase.256.txt", TerminalOptions(colour: .palette256, width: 100)),
    ("showcase.truecolour.txt", TerminalOptions(colour: .trueColour, width: 100)),
  ])
  func terminal(_ name: String, _ options: TerminalOptions) throws {
    let text = TerminalRenderer(options: options).render(try runShowcase())
    if let mismatch = Golden.mismatch(text, name) { Issue.record(Comment(rawValue: mismatch)) }
    for line in strippingEscapes(text).split(separator: "\n") {
      #expect(DisplayWidth.of(String(line)) <= options.width, "too wide: \(line)")
    }
    if options.colour == .none { #expect(!text.contains("\u{1B}")) }
  }

  @Test func html() throws {
    let lesson = try runShowcase()
    let html = HTMLRenderer().render(lesson)
    if let mismatch = Golden.mismatch(html, "showcase.html") { Issue.record(Comment(rawValue: mismatch)) }
    // Deterministic: a second run of the lesson renders to the same bytes.
    #expect(HTMLRenderer().render(try runShowcase()) == html)
    // Self-contained: nothing is fetched from the network.
    for pattern in ["src=\"http", "href=\"http://", "<link", "@import", "url(http"] {
      #expect(!html.contains(pattern), "\(pattern)")
    }
  }

  @Test func index() {
    let html = HTMLRenderer().index(
      entries: [
        IndexEntry(title: "Tokenization", file: "01-tokenization.html", summary: "Text → bytes → tokens"),
        IndexEntry(title: "Atenção & <máscaras>", file: "03-attention.html"),
      ], language: .brazilianPortuguese)
    if let mismatch = Golden.mismatch(html, "index.html") { Issue.record(Comment(rawValue: mismatch)) }
  }
}
