// Runs a prepared lesson top to bottom in one session (a notebook kernel): prose passes through,
// each directive runs, its `:expect:` / `:expect-error:` are checked, and the result is an
// `EvaluatedLesson` for the renderers plus the failures, each at a file:line.
import Foundation
import LessonModel
import MiniGPT

/// Command-line choices that override the front matter.
public struct RunSettings: Sendable {
  public var language: LessonLanguage?
  public var seed: UInt64?
  public var backend: BackendChoice?
  public var cacheDirectory: URL?

  public init(
    language: LessonLanguage? = nil, seed: UInt64? = nil, backend: BackendChoice? = nil,
    cacheDirectory: URL? = nil
  ) {
    self.language = language
    self.seed = seed
    self.backend = backend
    self.cacheDirectory = cacheDirectory
  }
}

public struct LessonRun {
  public var lesson: EvaluatedLesson
  /// Unexpected errors and expectations that did not hold, in document order.
  public var failures: [Diagnostic]
  /// Block indices of directives with `:snapshot: false`.
  public var unsnapshottedBlocks: Set<Int>
  /// True when the observer asked to stop (`--step`, then q).
  public var stoppedEarly: Bool

  public var succeeded: Bool { failures.isEmpty }
}

public struct Interpreter {
  public init() {}

  /// Runs `lesson`. `observe` sees each block as soon as it is ready (with the directive's timing)
  /// and returns false to stop there.
  public func run(
    _ lesson: PreparedLesson, settings: RunSettings = RunSettings(),
    observe: (LessonBlock, DirectiveTiming?) -> Bool = { _, _ in true }
  ) -> LessonRun {
    let language = settings.language ?? lesson.frontMatter.language ?? .english
    let session = Session(
      lessonPath: lesson.path, lessonDirectory: lesson.lessonDirectory, language: language,
      seed: settings.seed ?? lesson.frontMatter.seed ?? 0,
      backend: settings.backend ?? lesson.frontMatter.backend ?? .auto,
      cacheDirectory: settings.cacheDirectory, modelDefaults: lesson.frontMatter.model)

    var blocks: [LessonBlock] = []
    var timings: [DirectiveTiming] = []
    var failures: [Diagnostic] = []
    var unsnapshotted: Set<Int> = []
    var stopped = false
    for step in lesson.steps {
      let block: LessonBlock
      var timing: DirectiveTiming?
      switch step {
      case .prose(let prose): block = .prose(prose)
      case .code(let code): block = .code(code)
      case .directive(let prepared):
        let (result, seconds, blockFailures) = execute(prepared, in: session)
        block = .directive(result)
        failures += blockFailures
        timing = DirectiveTiming(
          blockIndex: blocks.count, seconds: seconds,
          measurements: session.measurements)
        timings.append(timing!)
        if !prepared.isSnapshotted { unsnapshotted.insert(blocks.count) }
      }
      blocks.append(block)
      if !observe(block, timing) {
        stopped = true
        break
      }
    }
    let evaluated = EvaluatedLesson(
      title: lesson.title, language: language, sourcePath: lesson.path,
      blocks: blocks, timings: timings)
    return LessonRun(
      lesson: evaluated, failures: failures, unsnapshottedBlocks: unsnapshotted,
      stoppedEarly: stopped)
  }

  /// Runs one directive and checks what it was expected to do.
  private func execute(
    _ prepared: PreparedDirective, in session: Session
  )
    -> (DirectiveResult, seconds: Double, failures: [Diagnostic])
  {
    let invocation = prepared.invocation
    let label = "{\(invocation.name)}"
    let fence = invocation.location
    func located(_ line: Int, _ column: Int = 1) -> SourceLocation {
      SourceLocation(path: fence.path, line: line, column: column)
    }
    session.beginDirective()
    let clock = ContinuousClock()
    let start = clock.now
    var outputs: [Output] = []
    var thrown: String?
    do {
      outputs = try prepared.directive.run(session)
    } catch {
      thrown = LessonError.message(for: error)
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

    var failures: [Diagnostic] = []
    var status = DirectiveResult.Status.succeeded
    switch (thrown, prepared.expectedError) {
    case (nil, let expected?):
      failures.append(
        Diagnostic(
          .error, at: located(expected.line, fence.column),
          "\(label) was expected to fail with an error containing '\(expected.text)', but it succeeded"))
    case (let message?, let expected?):
      if message.lowercased().contains(expected.text.lowercased()) {
        status = .failedAsExpected
        outputs.append(.diagnostic(Diagnostic(.error, at: fence, message)))
      } else {
        failures.append(
          Diagnostic(
            .error, at: located(expected.line, fence.column),
            "\(label) failed with '\(message)', which does not contain the expected '\(expected.text)'"))
      }
    case (let message?, nil):
      failures.append(Diagnostic(.error, at: fence, "\(label) failed: \(message)"))
    case (nil, nil):
      for expectation in prepared.expectations {
        let location = located(expectation.line, expectation.column)
        guard let value = session.reportedResults[expectation.name] else {
          failures.append(
            Diagnostic(
              .error, at: location,
              "\(label) did not report '\(expectation.name)', so '\(expectation.text)' cannot be checked"))
          continue
        }
        if !expectation.holds(for: value) {
          failures.append(
            Diagnostic(
              .error, at: location,
              "expected \(expectation.text), got \(expectation.name) = \(value)"))
        }
      }
    }
    if !failures.isEmpty {
      status = .failed
      outputs += failures.map(Output.diagnostic)
    }
    let result = DirectiveResult(
      name: invocation.name, arguments: invocation.arguments,
      line: fence.line, outputs: outputs, status: status)
    return (result, seconds, failures)
  }
}
