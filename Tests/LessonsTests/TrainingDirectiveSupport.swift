// Helpers for the tests of {train-step}, {train}, {generate}, {kv-cache} and {backends}: run more
// directives in a session a test already holds (so it can copy the model in between), copy a
// model onto another backend, and read numbers back from formatted table cells.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

/// Prepares `source` and runs its directives in `session`, in order.
func run(_ source: String, in session: Session) throws -> [DirectiveRun] {
  let lesson = try prepare(source, folder: session.lessonDirectory)
  var runs: [DirectiveRun] = []
  for case .directive(let prepared) in lesson.steps {
    session.beginDirective()
    let outputs = try prepared.directive.run(session)
    runs.append(DirectiveRun(outputs: outputs, results: session.reportedResults))
  }
  return runs
}

/// The same weights (and AdamW state) on `backend`: an independent twin to recompute with.
func twin(of model: GPT, on backend: any Backend = ReferenceBackend()) throws -> GPT {
  let copy = try GPT(config: model.config, backend: backend, parameterValues: model.parameterValues())
  if let m = model.adamM, let v = model.adamV {
    try copy.restoreOptimizer(m: model.read(m), v: model.read(v), step: model.step)
  }
  return copy
}

/// The number in a formatted cell ("1.23e-04", "0.5000", "12"); nil for "—" or text.
func number(_ cell: String) -> Double? { Double(cell.trimmingCharacters(in: .whitespaces)) }

/// |a − b| ≤ absolute + relative·max(|a|, |b|).
func close(_ a: Double, _ b: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
  abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

extension DirectiveRun {
  var keyValues: [KeyValues] { outputs.compactMap { if case .keyValues(let k) = $0 { return k } else { return nil } } }
  var charts: [LineChart] { outputs.compactMap { if case .lineChart(let c) = $0 { return c } else { return nil } } }
  var warnings: [String] { outputs.compactMap { if case .warning(let w) = $0 { return w.plainText } else { return nil } } }
  func text(_ name: String) -> String? {
    if case .text(let value)? = results[name] { return value }
    return nil
  }
}

/// The text most tests train on: 94 characters, 95 UTF-8 bytes, so 95 tokens with the bytes-only
/// tokenizer the small test model gets.
let trainingText = "O gato subiu no telhado e a gata desceu da janela. O cão latiu no quintal e o menino riu alto."
