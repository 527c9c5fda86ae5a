// Running engine directives in a session the test keeps, so a test can read the model the lesson
// used (its parameters and activations) and compare the directive's outputs with numbers it
// computes itself.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

/// What one directive did: its outputs and the results it reported.
struct DirectiveRun {
  var outputs: [Output]
  var results: [String: ResultValue]

  func number(_ name: String) -> Double? {
    if case .number(let value)? = results[name] { return value }
    return nil
  }

  var tables: [Table] { outputs.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }
  var heatmaps: [Heatmap] { outputs.compactMap { if case .heatmap(let h) = $0 { return h } else { return nil } } }
  var previews: [TensorPreview] {
    outputs.compactMap { if case .tensorPreview(let p) = $0 { return p } else { return nil } }
  }
  var strips: [TokenStrip] { outputs.compactMap { if case .tokenStrip(let s) = $0 { return s } else { return nil } } }
  var explanations: [String] {
    outputs.compactMap { if case .explanation(let e) = $0 { return e.plainText } else { return nil } }
  }
}

/// Prepares `source` and runs its directives in order in one session on the CPU backend; a
/// directive that throws ends the run with that error.
func runKeepingSession(
  _ source: String, files: [String: String] = [:], cache: URL? = nil,
  language: LessonLanguage = .english
) throws -> (Session, [DirectiveRun]) {
  let lesson = try prepare(source, files: files)
  let session = Session(
    lessonPath: lesson.path, lessonDirectory: lesson.lessonDirectory, language: language,
    seed: lesson.frontMatter.seed ?? 0, backend: lesson.frontMatter.backend ?? .cpu,
    cacheDirectory: cache ?? temporaryFolder().appendingPathComponent("cache"),
    modelDefaults: lesson.frontMatter.model)
  var runs: [DirectiveRun] = []
  for case .directive(let prepared) in lesson.steps {
    session.beginDirective()
    let outputs = try prepared.directive.run(session)
    runs.append(DirectiveRun(outputs: outputs, results: session.reportedResults))
  }
  return (session, runs)
}

/// A small model every engine-directive test can afford in a debug build.
let smallModel = """
  ```{model}
  :vocab: 300
  :context: 32
  :width: 16
  :layers: 2
  :heads: 4
  :seed: 5
  ```

  """

/// The rows of a preview as written (its first rows and columns).
func previewRows(_ values: [Float], rows: Int, columns: Int, shownRows: Int, shownColumns: Int) -> [[Float]] {
  (0..<min(rows, shownRows)).map { r in (0..<min(columns, shownColumns)).map { values[r * columns + $0] } }
}

/// Softmax of `scores` computed in Double, the textbook way: exp(x − max) / Σ exp(x − max).
func softmax(_ scores: [Double]) -> [Double] {
  let top = scores.max() ?? 0
  let exps = scores.map { Foundation.exp($0 - top) }
  let sum = exps.reduce(0, +)
  return exps.map { $0 / sum }
}
