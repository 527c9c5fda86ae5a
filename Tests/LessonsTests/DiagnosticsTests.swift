// Problems found before a lesson runs: all reported at once, compiler style, with did-you-mean
// suggestions; the full report of a broken lesson is a golden file.
import Foundation
import LessonModel
import TestSupport
import Testing

@testable import Lessons

@Suite struct DiagnosticsTests {
  @Test func brokenLessonReportsEverythingAtOnce() throws {
    let folder = TestPaths.fixtures.appendingPathComponent("lessons")
    let source = try String(contentsOf: folder.appendingPathComponent("broken.md"), encoding: .utf8)
    var diagnostics: [Diagnostic] = []
    do {
      _ = try Lesson.prepare(
        source: source, path: "lessons/broken.md", lessonDirectory: folder,
        registry: testRegistry)
      Issue.record("the broken lesson prepared without errors")
    } catch LessonError.invalidLesson(let found) {
      diagnostics = found
    }
    let report = Diagnostics.report(diagnostics, source: source)
    if let mismatch = Golden.mismatch(report, "broken-lesson.txt") { Issue.record(Comment(rawValue: mismatch)) }
    // The example of the issue, exactly.
    #expect(
      diagnostics.map(\.summary).contains(
        "lessons/broken.md:14:1: error: unknown option 'haed' for {fake} (did you mean 'head'?)"))
    #expect(diagnostics.count == 19)
  }

  @Test func editDistanceByHand() {
    // kitten → sitting: substitute k→s, e→i, insert g = 3 (the textbook example).
    #expect(Diagnostics.editDistance("kitten", "sitting") == 3)
    // haed → head: one adjacent swap (plain Levenshtein would say 2).
    #expect(Diagnostics.editDistance("haed", "head") == 1)
    #expect(Diagnostics.editDistance("", "abc") == 3)
    #expect(Diagnostics.editDistance("same", "same") == 0)
  }

  @Test func suggestionsOnlyForLikelyTypos() {
    #expect(Diagnostics.suggestion(for: "atend", among: ["attend", "embed", "model"]) == "attend")
    #expect(Diagnostics.suggestion(for: "tempreature", among: ["temperature", "top-k"]) == "temperature")
    #expect(Diagnostics.suggestion(for: "xyz", among: ["attend", "embed"]) == nil)
    #expect(Diagnostics.suggestion(for: "LAYER", among: ["layer"]) == "layer")
  }

  @Test func reportPointsACaretAtTheColumn() {
    let diagnostic = Diagnostic(.error, at: SourceLocation(path: "a.md", line: 2, column: 9), "bad")
    #expect(
      Diagnostics.report([diagnostic], source: "x\n:layer: zero\n") == "a.md:2:9: error: bad\n 2 | :layer: zero\n   |         ^\n"
    )
  }

  @Test func directiveOptionChecks() {
    // One problem per lesson, each at its line and column.
    let cases: [(String, String)] = [
      ("```{fake}\n:count: 11\n```\n", "lesson.md:2:9: error: option 'count' of {fake} must be between 0 and 10, got 11"),
      ("```{fake}\n:scale: nan\n```\n", "lesson.md:2:9: error: option 'scale' of {fake} expects a number, got 'nan'"),
      ("```{fake}\n:label:\n```\n", "lesson.md:2:8: error: option 'label' of {fake} needs a value"),
      (
        "```{fake}\n:mode: al\n```\n",
        "lesson.md:2:8: error: option 'mode' of {fake} must be one of plain, all, fail; got 'al' (did you mean 'all'?)"
      ),
      ("```{seed} x\n```\n", "lesson.md:1:1: error: {seed}: the seed must be a whole number ≥ 0, got 'x'"),
      (
        "```{fake}\n:expect-error:\n```\n",
        "lesson.md:2:1: error: option 'expect-error' needs the text the error message must contain"
      ),
      (
        "```{fake}\n:expect: count = 1\n:expect-error: boom\n```\n",
        "lesson.md:3:1: error: {fake} cannot both ':expect:' values and ':expect-error:' an error"
      ),
      ("```{note}\n:allow-outside: true\nx\n```\n", "lesson.md:2:1: error: unknown option 'allow-outside' for {note}"),
      (
        "```{seed} 1\n:expect: sed = 1\n```\n",
        "lesson.md:2:10: error: {seed} has no result 'sed' to expect (did you mean 'seed'?); it reports seed"
      ),
      (
        "```{note}\n:expect: x = 1\nhi\n```\n", "lesson.md:2:10: error: {note} has no result 'x' to expect; it reports no results"
      ),
      (
        "```{text} a\nbody\n```\n",
        "lesson.md:1:1: error: {text}: give the text in only one way: after {text}, in its body, or with ':file:'"
      ),
    ]
    for (source, expected) in cases {
      #expect(problems(source).map(\.summary) == [expected], "\(source)")
    }
  }

  @Test func pathsStayInsideTheLessonFolder() throws {
    let folder = temporaryFolder()
    let lessons = folder.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
    try Data("secret".utf8).write(to: folder.appendingPathComponent("outside.txt"))
    try Data("inside".utf8).write(to: lessons.appendingPathComponent("inside.txt"))
    // A symbolic link inside the folder that points outside it does not get through either.
    try FileManager.default.createSymbolicLink(
      at: lessons.appendingPathComponent("link.txt"),
      withDestinationURL: folder.appendingPathComponent("outside.txt"))
    func check(_ options: String) -> [String] {
      do {
        _ = try prepare("```{fake}\n\(options)```\n", folder: lessons)
        return []
      } catch LessonError.invalidLesson(let diagnostics) {
        return diagnostics.map(\.message)
      } catch {
        return ["\(error)"]
      }
    }
    let leaves = "path '../outside.txt' leaves the lesson's folder; add ':allow-outside: true' if that is intended"
    #expect(check(":data: inside.txt\n") == [])
    #expect(check(":data: ../outside.txt\n") == [leaves])
    #expect(check(":data: ../outside.txt\n:allow-outside: true\n") == [])
    #expect(
      check(":data: link.txt\n") == [
        "path 'link.txt' leaves the lesson's folder; add ':allow-outside: true' if that is intended"
      ])
    #expect(check(":data: \(folder.path)/outside.txt\n").count == 1)
    #expect(
      check(":data: nothing.txt\n") == [
        "file 'nothing.txt' not found (paths are relative to the lesson's folder)"
      ])
    #expect(check(":out: new/file.txt\n") == [])  // need not exist
  }
}
