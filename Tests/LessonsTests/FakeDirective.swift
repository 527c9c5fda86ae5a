// A test-only directive with one option of every kind, every kind of output, named results, a
// counter kept in the session, seeded random draws and an optional failure — so the framework
// (validation, session, expectations, snapshots, renderers) is tested without the engine.
import Foundation
import LessonModel
import Lessons

enum FakeCounterSlot: SessionSlot {
  static var defaultValue: Int { 0 }
}

struct FakeDirective: Directive {
  static let name = "fake"
  static let summary = "Test directive."
  static let argument = ArgumentRule.optional("a label")
  static let body = BodyRule.optional
  static let options: [OptionSpec] = [
    .int("count", default: 3, in: 0...10),
    .int("head", default: 0, in: 0...11),
    .float("scale", default: 1, in: 0...100),
    .string("label"),
    .bool("flag"),
    .choice("mode", ["plain", "all", "fail"], default: "plain"),
    .path("data"),
    .path("out", mustExist: false),
  ]
  static let results = [ResultSpec("count"), ResultSpec("sum"), ResultSpec("runs"), ResultSpec("label")]

  let invocation: Invocation

  init(_ invocation: Invocation) throws {
    if invocation.bool("flag") && invocation.string("mode") == "fail" {
      throw ValidationProblem(option: "flag", "'flag' cannot be used with mode fail")
    }
    self.invocation = invocation
  }

  func run(_ session: Session) throws -> [Output] {
    session[FakeCounterSlot.self] += 1
    let count = invocation.int("count")!
    let scale = invocation.float("scale")!
    let draws = (0..<count).map { _ in Double(session.random.nextFloat()) * scale }
    let sum = draws.reduce(0, +)
    let label = invocation.string("label") ?? invocation.arguments
    session.report("count", count)
    session.report("sum", sum)
    session.report("runs", session[FakeCounterSlot.self])
    session.report("label", text: label)
    session.measure("draws/s", "many")
    switch invocation.string("mode") {
    case "fail":
      throw LessonError.directiveFailed("the fake directive failed on purpose (label \(label))")
    case "all":
      return Self.everyOutput(label: label, draws: draws)
    default:
      return [
        .text(
          RichText(
            plain: "\(label): "
              + draws.map { ValueFormat.fixed(4).string(for: $0) }
              .joined(separator: " ")))
      ]
    }
  }

  /// One output of every kind, each carrying `label` so escaping tests reach all of them.
  static func everyOutput(label: String, draws: [Double]) -> [Output] {
    let tokens = ["O", " gato", " subiu", label]
    var masked: [[Bool]] = []
    var weights: [[Float]] = []
    for row in 0..<4 {
      masked.append((0..<4).map { $0 > row })
      let raw = (0...row).map { Float($0 + 1) }
      let total = raw.reduce(0, +)
      weights.append((0..<4).map { $0 <= row ? raw[$0] / total : 0 })
    }
    return [
      .text(
        RichText([
          TextSpan("Plain "), TextSpan("emphasis", style: .emphasis), TextSpan(" and "),
          TextSpan("strong", style: .strong), TextSpan(" with "), TextSpan(label, style: .code),
        ])),
      .explanation(
        RichText([
          TextSpan("'subiu' puts "), TextSpan("0.50", style: .strong),
          TextSpan(" of its attention on "), TextSpan(label, style: .code),
        ])),
      .table(
        Table(
          title: "Table " + label, headers: ["token", "id", "猫 width"],
          rows: [["O", "46", "ok"], [label, "1234", "猫猫"], ["café", "7", "é"]],
          alignments: [.left, .right, .center], barValues: [1, 4, 2])),
      .tensorPreview(
        TensorPreview(
          name: "h.0.attn.q " + label, shape: [4, 768],
          values: [[0.1234, -0.5, 2], [-0.0000001, 1e-3, 3.25]],
          rowLabels: ["O", label], hiddenRows: 2, hiddenColumns: 765)),
      .tensorPreview(TensorPreview(name: "folded", shape: [3], values: [[1, 2, 3]], collapsed: true)),
      .heatmap(
        Heatmap(
          title: "Attention " + label, rowLabels: tokens, columnLabels: tokens,
          values: weights, masked: masked, range: 0...1)),
      .heatmap(
        Heatmap(
          title: "Similarity", rowLabels: ["a", "b"], columnLabels: ["a", "b"],
          values: [[1, -0.5], [-0.5, 1]], scale: .diverging)),
      .tokenStrip(
        TokenStrip(
          title: "Tokens",
          pieces: tokens.enumerated().map {
            TokenPiece(text: $0.element, id: 100 + $0.offset, highlighted: $0.offset == 2)
          })),
      .tokenStrip(TokenStrip(pieces: [TokenPiece(text: "a", value: 0.1), TokenPiece(text: "b", value: 0.9)])),
      .lineChart(
        LineChart(
          title: "Loss " + label, xLabel: "step", yLabel: "loss",
          series: [
            ChartSeries(name: "train", points: (0..<20).map { ChartPoint(x: Double($0), y: 8 / (1 + Double($0) / 4)) }),
            ChartSeries(
              name: "validation " + label,
              points: (0..<5).map { ChartPoint(x: Double($0 * 5), y: 8.5 / (1 + Double($0 * 5) / 5)) }),
          ])),
      .bars(
        BarChart(
          title: "Next token",
          items: [
            BarItem(label: " gato", value: 0.41), BarItem(label: label, value: 0.2),
            BarItem(label: "draws", value: draws.reduce(0, +)),
          ])),
      .keyValues(KeyValues(title: "Config", entries: [KeyValue("layers", "2"), KeyValue("label", label)])),
      .code(CodeListing(language: "text", text: "let x = \(label)\n")),
      .note(RichText([TextSpan("A note about "), TextSpan(label, style: .emphasis)])),
      .warning(RichText(plain: "A warning: " + label)),
      .diagnostic(Diagnostic(.warning, at: SourceLocation(path: "x.md", line: 3, column: 2), "about " + label)),
    ]
  }
}

/// The registry the tests use: the standard directives plus {fake}.
let testRegistry = DirectiveRegistry.standard.adding(FakeDirective.self)

/// Prepares a lesson from text in a fresh temporary folder (returned so tests can add files).
func prepare(
  _ source: String, path: String = "lesson.md", files: [String: String] = [:],
  folder: URL? = nil
) throws -> PreparedLesson {
  let folder = folder ?? temporaryFolder()
  for (name, contents) in files {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }
  return try Lesson.prepare(source: source, path: path, lessonDirectory: folder, registry: testRegistry)
}

/// The diagnostics a broken lesson produces (empty if it prepares fine).
func problems(_ source: String, files: [String: String] = [:]) -> [Diagnostic] {
  do {
    _ = try prepare(source, files: files)
    return []
  } catch LessonError.invalidLesson(let diagnostics) {
    return diagnostics
  } catch {
    return [Diagnostic(.error, at: SourceLocation(path: "?", line: 0), "\(error)")]
  }
}

func temporaryFolder() -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("lessons-tests-\(UUID().uuidString)", isDirectory: true)
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
