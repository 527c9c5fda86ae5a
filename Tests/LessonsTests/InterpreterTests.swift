// Running lessons: a shared session, seeded randomness, expectations and expected errors, failures
// that do not stop the lesson, stopping from the observer, and deterministic results.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct InterpreterTests {
  func run(_ source: String, settings: RunSettings = RunSettings()) throws -> LessonRun {
    Interpreter().run(try prepare(source), settings: settings)
  }

  func directiveResults(_ run: LessonRun) -> [DirectiveResult] {
    run.lesson.blocks.compactMap { if case .directive(let d) = $0 { return d } else { return nil } }
  }

  @Test func directivesShareTheSession() throws {
    let result = try run("```{fake}\n:expect: runs = 1\n```\n\n```{fake}\n:expect: runs = 2\n```\n")
    #expect(result.failures.isEmpty)
    #expect(directiveResults(result).map(\.status) == [.succeeded, .succeeded])
  }

  @Test func randomDrawsFollowTheSeed() throws {
    // The fake directive draws `count` floats from the session's SplitMix64.
    var reference = SplitMix64(seed: 5)
    let expected = (0..<3).map { _ in ValueFormat.fixed(4).string(for: Double(reference.nextFloat())) }
    let result = try run("---\nseed: 5\n---\n```{fake} a\n```\n")
    #expect(directiveResults(result)[0].outputs == [.text(RichText(plain: "a: " + expected.joined(separator: " ")))])
    // --seed overrides the front matter; {seed} restarts the stream mid-lesson.
    let overridden = try run("---\nseed: 5\n---\n```{fake} a\n```\n", settings: RunSettings(seed: 6))
    #expect(directiveResults(overridden)[0].outputs != directiveResults(result)[0].outputs)
    let reseeded = try run("```{fake} a\n```\n\n```{seed} 5\n```\n\n```{fake} a\n```\n")
    #expect(directiveResults(reseeded)[2].outputs == directiveResults(result)[0].outputs)
  }

  @Test func expectationsPassAndFailWithLines() throws {
    let result = try run("# T\n\n```{fake} x\n:count: 2\n:expect: count = 2; label = \"x\"\n:expect: count > 5\n```\n")
    #expect(result.failures.map(\.summary) == ["lesson.md:6:10: error: expected count > 5, got count = 2"])
    let directive = directiveResults(result)[0]
    #expect(directive.status == .failed)
    #expect(directive.outputs.last == .diagnostic(result.failures[0]))
  }

  @Test func expectedErrors() throws {
    // The error happens and contains the text (case-insensitive): the directive succeeded as a lesson.
    let expected = try run("```{fake} x\n:mode: fail\n:expect-error: FAILED ON PURPOSE\n```\n")
    #expect(expected.failures.isEmpty)
    #expect(directiveResults(expected)[0].status == .failedAsExpected)
    #expect(
      directiveResults(expected)[0].outputs == [
        .diagnostic(
          Diagnostic(
            .error, at: SourceLocation(path: "lesson.md", line: 1), "the fake directive failed on purpose (label x)"))
      ])
    // A different error, or no error at all, is a failure at the :expect-error: line.
    let wrong = try run("```{fake} x\n:mode: fail\n:expect-error: out of memory\n```\n")
    #expect(
      wrong.failures.map(\.summary) == [
        "lesson.md:3:1: error: {fake} failed with 'the fake directive failed on purpose (label x)', which does not contain the expected 'out of memory'"
      ])
    let none = try run("```{fake} x\n:expect-error: boom\n```\n")
    #expect(
      none.failures.map(\.summary) == [
        "lesson.md:2:1: error: {fake} was expected to fail with an error containing 'boom', but it succeeded"
      ])
  }

  @Test func anErrorDoesNotStopTheLesson() throws {
    let result = try run("```{fake} x\n:mode: fail\n```\n\n```{fake} y\n:expect: runs = 2\n```\n")
    #expect(
      result.failures.map(\.summary) == [
        "lesson.md:1:1: error: {fake} failed: the fake directive failed on purpose (label x)"
      ])
    #expect(directiveResults(result).map(\.status) == [.failed, .succeeded])
  }

  @Test func observerSeesBlocksInOrderAndCanStop() throws {
    let lesson = try prepare("Intro\n\n```{fake} a\n```\n\nMiddle\n\n```{fake} b\n```\n\nEnd\n")
    var seen: [String] = []
    let result = Interpreter().run(lesson) { block, timing in
      switch block {
      case .prose(let prose): seen.append("prose:" + prose.html)
      case .code: seen.append("code")
      case .directive(let d):
        seen.append("directive:" + d.arguments + (timing == nil ? "" : "+timing"))
        return d.arguments != "b"
      }
      return true
    }
    #expect(seen == ["prose:<p>Intro</p>\n", "directive:a+timing", "prose:<p>Middle</p>\n", "directive:b+timing"])
    #expect(result.stoppedEarly)
    #expect(result.lesson.blocks.count == 4)
  }

  @Test func timingsStayOutOfTheBlocks() throws {
    let source = "```{fake} a\n:mode: all\n```\n"
    let first = try run(source)
    let second = try run(source)
    #expect(first.lesson.blocks == second.lesson.blocks)
    #expect(first.lesson.timings.count == 1)
    #expect(first.lesson.timings[0].blockIndex == 0)
    #expect(first.lesson.timings[0].measurements == [KeyValue("draws/s", "many")])
  }

  @Test func languageComesFromSettingsThenFrontMatter() throws {
    let source = "---\nlanguage: pt-BR\n---\n```{seed} 3\n```\n"
    let portuguese = try run(source)
    #expect(portuguese.lesson.language == .brazilianPortuguese)
    guard case .explanation(let text)? = directiveResults(portuguese)[0].outputs.first else {
      Issue.record("no explanation")
      return
    }
    #expect(text.plainText.hasPrefix("Os números aleatórios"))
    #expect(try run(source, settings: RunSettings(language: .english)).lesson.language == .english)
  }
}
