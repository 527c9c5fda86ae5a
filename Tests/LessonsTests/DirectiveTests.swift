// The engine-free directives, each against numbers worked out by hand, plus the rule that the
// Markdown in every directive's doc comment is a lesson that runs.
import Foundation
import LessonModel
import TestSupport
import Testing

@testable import Lessons

@Suite struct DirectiveTests {
  func outputs(_ source: String, files: [String: String] = [:]) throws -> ([Output], LessonRun) {
    let result = Interpreter().run(try prepare(source, files: files))
    #expect(result.failures.isEmpty, "\(result.failures.map(\.summary))")
    for case .directive(let d) in result.lesson.blocks.reversed() { return (d.outputs, result) }
    return ([], result)
  }

  @Test func bytesOfAPortugueseWord() throws {
    // "Ação!": A=41, ç=C3 A7 (U+00E7), ã=C3 A3 (U+00E3), o=6F, !=21 → 5 characters, 7 bytes, 2 multibyte.
    let (outputs, _) = try outputs("```{bytes} Ação!\n:expect: characters = 5; bytes = 7; multibyte = 2\n```\n")
    guard case .table(let table) = outputs[1] else {
      Issue.record("expected a table, got \(outputs)")
      return
    }
    #expect(
      table.rows == [
        ["A", "U+0041", "41", "1"], ["ç", "U+00E7", "C3 A7", "2"], ["ã", "U+00E3", "C3 A3", "2"],
        ["o", "U+006F", "6F", "1"], ["!", "U+0021", "21", "1"],
      ])
    #expect(table.barValues == [1, 2, 2, 1, 1])
    guard case .explanation(let text) = outputs[2] else {
      Issue.record("expected an explanation")
      return
    }
    #expect(
      text.plainText
        == "5 characters become 7 bytes: characters outside ASCII, like ç, take two to four bytes each. A byte-level tokenizer starts from these 7 bytes."
    )
  }

  @Test func bytesOfADecomposedCharacter() throws {
    // "ã" written as a + U+0303 (combining tilde) is one character of two code points and 3 bytes.
    let (outputs, _) = try outputs("```{bytes} a\u{0303}\n:expect: characters = 1; bytes = 3\n```\n")
    guard case .table(let table) = outputs[1] else { return }
    #expect(table.rows == [["a\u{0303}", "U+0061 U+0303", "61 CC 83", "3"]])
  }

  @Test func bytesNeedsAText() throws {
    let result = Interpreter().run(try prepare("```{bytes}\n```\n"))
    #expect(
      result.failures.map(\.message) == ["{bytes} failed: no text yet: write it after {bytes}, or set it with {text} first"])
  }

  @Test func textFromAFileFeedsTheNextDirective() throws {
    // "olá\nmundo\n": 10 characters, 11 bytes (á is 2), 2 lines, 2 words, distinct o l á \n m u n d = 8.
    let (outputs, _) = try outputs(
      "```{text}\n:file: corpus/a.txt\n:preview: 3\n:expect: characters = 10; bytes = 11; lines = 2; words = 2; distinct = 8\n```\n\n```{bytes}\n:limit: 2\n:expect: bytes = 11\n```\n",
      files: ["corpus/a.txt": "olá\nmundo\n"])
    guard case .tokenStrip(let strip) = outputs[0] else { return }
    #expect(strip.pieces.map(\.text) == ["o", "l"])
  }

  @Test func textPreviewIsCut() throws {
    let (outputs, _) = try outputs("```{text}\n:preview: 4\nO gato subiu\n```\n")
    #expect(outputs.contains(.code(CodeListing(text: "O ga…"))))
  }

  @Test func noteKinds() throws {
    let (note, _) = try outputs("```{note}\nTwo *lines*\nof text.\n```\n")
    #expect(note == [.note(RichText([TextSpan("Two "), TextSpan("lines", style: .emphasis), TextSpan(" of text.")]))])
    let (warning, _) = try outputs("```{note}\n:kind: warning\nCareful.\n```\n")
    #expect(warning == [.warning(RichText(plain: "Careful."))])
  }

  @Test func docCommentSnippetsRun() throws {
    let folder = TestPaths.packageRoot.appendingPathComponent("Sources/Lessons/Directives")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("Directive.swift") }
    #expect(files.count == DirectiveRegistry.standard.names.count)
    for file in files.sorted() {
      let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      let snippets = Self.snippets(inHeaderOf: source)
      #expect(!snippets.isEmpty, "\(file) shows no example lesson in its doc comment")
      for snippet in snippets {
        // Files a snippet names with :file: are created with some text.
        let paths = snippet.split(separator: "\n").filter { $0.hasPrefix(":file: ") }.map { String($0.dropFirst(7)) }
        let lesson = try prepare(snippet, files: Dictionary(uniqueKeysWithValues: paths.map { ($0, "Era uma vez.\n") }))
        let result = Interpreter().run(lesson)
        #expect(result.failures.isEmpty, "\(file): \(result.failures.map(\.summary))")
        #expect(!lesson.directives.isEmpty, "\(file): no directive in \(snippet)")
      }
    }
  }

  /// Runs of `//     ` lines in a file's leading comment, each one snippet of Markdown.
  static func snippets(inHeaderOf source: String) -> [String] {
    var snippets: [String] = []
    var current: [String] = []
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
      guard line.hasPrefix("//") else { break }
      if line.hasPrefix("//     ") {
        current.append(String(line.dropFirst(7)))
      } else if !current.isEmpty {
        snippets.append(current.joined(separator: "\n") + "\n")
        current = []
      }
    }
    if !current.isEmpty { snippets.append(current.joined(separator: "\n") + "\n") }
    return snippets
  }
}

@Suite struct LocalizationTests {
  @Test func everyPhraseHasBothLanguagesWithTheSamePlaceholders() {
    for phrase in Phrase.allCases {
      let english = phrase.template(.english)
      let portuguese = phrase.template(.brazilianPortuguese)
      #expect(!english.isEmpty && !portuguese.isEmpty, "\(phrase)")
      func placeholders(_ text: String) -> [String] {
        (0..<10).map { "{\($0)}" }.filter { text.contains($0) }
      }
      #expect(placeholders(english) == placeholders(portuguese), "\(phrase)")
      #expect(RichText(markup: english).spans.count == RichText(markup: portuguese).spans.count, "\(phrase) markup")
    }
  }

  @Test func argumentsAreNotParsedAsMarkup() {
    // A token "*" must stay a literal star, not start emphasis.
    let text = Phrase.bytesExplanationMultibyte.richText(
      .english, [TextSpan("1"), TextSpan("2"), TextSpan("**x**", style: .code)])
    #expect(text.spans.contains(TextSpan("**x**", style: .code)))
    #expect(text.spans.first == TextSpan("1", style: .strong))
  }
}
