// {attend}: from the qkv activation alone, this test computes each head's scores q·k/√d, the
// causal softmax and the weighted sum of values in Double, and compares them with what the
// directive shows (read from the engine's attn.scores, attn.probs and attn.out).
import Foundation
import LessonModel
import MiniGPT
import Render
import TestSupport
import Testing

@testable import Lessons

@Suite struct AttendDirectiveTests {
  static let text = "O gato subiu no telhado"

  /// Scores, weights and outputs of one head, from qkv (T, 3C): (T×T, T×T, T×HS).
  static func reference(
    qkv: [Float], T: Int, C: Int, heads: Int, head: Int
  )
    -> (scores: [[Double]], weights: [[Double]], out: [[Double]])
  {
    let HS = C / heads
    func vector(_ t: Int, _ part: Int) -> [Double] {
      (0..<HS).map { Double(qkv[t * 3 * C + part * C + head * HS + $0]) }
    }
    var scores: [[Double]] = [], weights: [[Double]] = [], out: [[Double]] = []
    for t in 0..<T {
      let q = vector(t, 0)
      let row = (0...t).map { j in zip(q, vector(j, 1)).reduce(0) { $0 + $1.0 * $1.1 } / Double(HS).squareRoot() }
      let p = softmax(row)
      scores.append(row)
      weights.append(p)
      out.append((0..<HS).map { d in (0...t).reduce(0) { $0 + p[$1] * vector($1, 2)[d] } })
    }
    return (scores, weights, out)
  }

  @Test func oneHeadAgainstTheDefinition() throws {
    let (session, runs) = try runKeepingSession(smallModel + "```{attend} \(Self.text)\n:layer: 1\n:head: 2\n:dims: 4\n```\n")
    let run = runs[1]
    let model = try session.model()
    let T = Self.text.utf8.count, C = 16
    let qkv = model.read(model.activation("h.1.attn.qkv")!)
    let expected = Self.reference(qkv: qkv, T: T, C: C, heads: 4, head: 2)

    let previews = run.previews
    #expect(previews.count == 4)
    for t in 0..<min(T, 16) {
      for d in 0..<4 {
        #expect(Double(previews[0].values[t][d]) == Double(qkv[t * 48 + 2 * 4 + d]))  // Q of head 2
        #expect(Double(previews[1].values[t][d]) == Double(qkv[t * 48 + 16 + 2 * 4 + d]))  // K
        #expect(Double(previews[2].values[t][d]) == Double(qkv[t * 48 + 32 + 2 * 4 + d]))  // V
        #expect(abs(Double(previews[3].values[t][d]) - expected.out[t][d]) <= 1e-5)  // Σ p·v
      }
    }
    let (scores, weights) = (run.heatmaps[0], run.heatmaps[1])
    var strongest = 0.0
    for t in 0..<T {
      for j in 0..<T {
        #expect(scores.isMasked(row: t, column: j) == (j > t) && weights.isMasked(row: t, column: j) == (j > t))
        guard j <= t else { continue }
        #expect(abs(Double(scores.values[t][j]) - expected.scores[t][j]) <= 1e-5)
        #expect(abs(Double(weights.values[t][j]) - expected.weights[t][j]) <= 1e-5)
        if j < t { strongest = max(strongest, expected.weights[t][j]) }
      }
    }
    #expect(abs(try #require(run.number("max-weight")) - strongest) <= 1e-5)
    #expect(try #require(run.number("row-sum-error")) <= 1e-5)
    #expect(run.number("future-weight") == 0)
    // The clearest link: the largest excess over an even spread 1/(t+1), found here.
    var clearest = (t: 0, j: 0, excess: -1.0)
    for t in 1..<T {
      for j in 0..<t where expected.weights[t][j] - 1 / Double(t + 1) > clearest.excess {
        clearest = (t, j, expected.weights[t][j] - 1 / Double(t + 1))
      }
    }
    let bytes = Array(Self.text.utf8)
    func word(_ i: Int) -> String { tokenWord(tokenLabel([bytes[i]])) }
    let weight = ValueFormat.fixed(2).string(for: expected.weights[clearest.t][clearest.j])
    #expect(
      run.explanations.contains {
        $0.hasPrefix(
          "The clearest link: \(word(clearest.t)) puts \(weight) of its attention on \(word(clearest.j)); spread evenly over the \(clearest.t + 1) tokens"
        )
      })
    // The last token's favourite, by the weights computed here.
    let last = expected.weights[T - 1]
    let top = last.indices.max { last[$0] < last[$1] }!
    let label = tokenWord(tokenLabel([Array(Self.text.utf8)[top]]))
    #expect(run.results["top"] == .text(label))
    #expect(run.explanations.contains { $0.hasPrefix("The last token, o, looks most at \(label) (") })
  }

  @Test func allHeadsAveragePatterns() throws {
    let (session, runs) = try runKeepingSession(smallModel + "```{attend} \(Self.text)\n:heads: all\n```\n")
    let run = runs[1]
    let model = try session.model()
    let T = Self.text.utf8.count
    let qkv = model.read(model.activation("h.0.attn.qkv")!)
    #expect(run.heatmaps.count == 4)
    let table = try #require(run.tables.first)
    for head in 0..<4 {
      let w = Self.reference(qkv: qkv, T: T, C: 16, heads: 4, head: head).weights
      // Averages over rows t = 2… (where the previous and the first token differ).
      let rows = Double(T - 2)
      let previous = (2..<T).reduce(0.0) { $0 + w[$1][$1 - 1] } / rows
      let first = (2..<T).reduce(0.0) { $0 + w[$1][0] } / rows
      let itself = (2..<T).reduce(0.0) { $0 + w[$1][$1] } / rows
      #expect(abs(Double(table.rows[head][1])! - previous) <= 0.006)
      #expect(abs(Double(table.rows[head][2])! - first) <= 0.006)
      #expect(abs(Double(table.rows[head][3])! - itself) <= 0.006)
      for t in 0..<T { for j in 0...t { #expect(abs(Double(run.heatmaps[head].values[t][j]) - w[t][j]) <= 1e-5) } }
    }
  }

  @Test func layerAndHeadOutOfRange() throws {
    #expect(throws: LessonError.directiveFailed("layer 2 does not exist: this model has 2 (0…1, or -1…-2 from the last)")) {
      _ = try runKeepingSession(smallModel + "```{attend} a\n:layer: 2\n```\n")
    }
    #expect(throws: LessonError.directiveFailed("head 4 does not exist: this model has 4 heads per layer (0…3)")) {
      _ = try runKeepingSession(smallModel + "```{attend} a\n:head: 4\n```\n")
    }
    #expect(
      problems("```{attend} a\n:head: 1\n:heads: all\n```\n").map(\.message) == [
        "{attend}: give either ':head: N' or ':heads: all', not both"
      ])
  }
}

/// An engine directive end to end: Tests/Fixtures/lessons/attention.md run on the reference
/// backend and rendered to the terminal and to HTML, compared with golden files.
@Suite struct AttendGoldenTests {
  func run() throws -> EvaluatedLesson {
    let folder = TestPaths.fixtures.appendingPathComponent("lessons")
    let source = try String(contentsOf: folder.appendingPathComponent("attention.md"), encoding: .utf8)
    let lesson = try Lesson.prepare(
      source: source, path: "lessons/attention.md", lessonDirectory: folder,
      registry: DirectiveRegistry.standard)
    let result = Interpreter().run(lesson, settings: RunSettings(cacheDirectory: temporaryFolder()))
    #expect(result.failures.isEmpty, "\(result.failures.map(\.summary))")
    return result.lesson
  }

  @Test func terminalAndHTML() throws {
    let lesson = try run()
    let text = TerminalRenderer(options: TerminalOptions(colour: .none, width: 100)).render(lesson)
    if let mismatch = Golden.mismatch(text, "attention.plain.100.txt") { Issue.record(Comment(rawValue: mismatch)) }
    let html = HTMLRenderer().render(lesson)
    if let mismatch = Golden.mismatch(html, "attention.html") { Issue.record(Comment(rawValue: mismatch)) }
    #expect(html.contains("&lt;b&gt;") && !html.contains("<b>"))
  }
}
