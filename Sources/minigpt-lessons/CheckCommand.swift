// `minigpt-lessons check FILE|DIR [--update]`: runs lessons and verifies them — directive errors,
// `:expect:` / `:expect-error:`, and outputs against lessons/.snapshots/NAME.json (`--update`
// records new snapshots). Failures are reported with file:line; the last line counts them.
import ArgumentParser
import Foundation
import LessonModel
import Lessons

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run lessons and verify their expectations and snapshots.",
    discussion: """
      Exit codes: 0 every lesson passed, 1 something failed, 65 a lesson has errors, 66 input \
      cannot be read, 73 a snapshot cannot be written.
      """)

  @Argument(help: "A lesson (Markdown file) or a folder of lessons.")
  var path: String

  @Flag(help: "Record the outputs as the new snapshots instead of comparing with them.")
  var update = false

  @OptionGroup var options: LessonOptions

  func run() throws {
    let files = try LessonCLI.lessonFiles(path)
    var passed = 0
    var failed = 0
    var exitCode: ExitCode?
    for file in files {
      let lesson: PreparedLesson
      switch LessonCLI.load(file) {
      case .success(let loaded): lesson = loaded
      case .failure(let code):
        failed += 1
        exitCode = exitCode ?? code
        print("FAIL \(file)")
        continue
      }
      let clock = ContinuousClock()
      let start = clock.now
      let result = Interpreter().run(lesson, settings: options.settings)
      var problems = result.failures
      var notes: [String] = []
      let snapshot = Snapshot(of: result)
      let snapshotURL = Snapshot.url(forLessonAt: file, language: result.lesson.language)
      do {
        if update {
          if problems.isEmpty {
            try snapshot.save(to: snapshotURL)
            notes.append("recorded \(snapshotURL.relativePath)")
          } else {
            notes.append("snapshot not recorded: the lesson has failures")
          }
        } else if let recorded = try Snapshot.load(from: snapshotURL, shownAs: snapshotURL.relativePath) {
          problems += snapshot.differences(from: recorded, lessonPath: file)
        } else {
          notes.append("no snapshot yet (record one with 'check --update')")
        }
      } catch let error as LessonError {
        if case .unwritable = error {
          LessonCLI.printError(error.description)
          throw LessonCLI.unwritable
        }
        problems.append(Diagnostic(.error, at: SourceLocation(path: file, line: 1), error.description))
      }
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      let directives = lesson.directives.count
      let summary =
        "\(file) (\(directives) directive\(directives == 1 ? "" : "s"), "
        + ValueFormat.fixed(2).string(for: seconds) + " s)"
      if problems.isEmpty {
        passed += 1
        print("PASS " + summary + notes.map { "; " + $0 }.joined())
      } else {
        failed += 1
        exitCode = exitCode ?? LessonCLI.failed
        print("FAIL " + summary)
        LessonCLI.printError(Diagnostics.report(problems, source: lesson.source))
      }
    }
    print("\(passed) passed, \(failed) failed")
    if let exitCode { throw exitCode }
  }
}
