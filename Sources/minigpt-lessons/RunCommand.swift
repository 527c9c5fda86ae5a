// `minigpt-lessons run FILE [--step] [--backend cpu|gpu|auto] [--seed N] [--lang en|pt-BR]`:
// runs a lesson in the terminal, printing each block as soon as it is ready, like a notebook.
// Also the options and exit codes the lesson commands share.
import ArgumentParser
import Foundation
import LessonModel
import Lessons
import MiniGPT
import Render

/// Options shared by run, render and check.
struct LessonOptions: ParsableArguments {
  @Option(
    help: "Compute backend: cpu, gpu or auto (default: the lesson's, else auto).",
    transform: LessonCLI.backend)
  var backend: BackendChoice?

  @Option(help: "Seed for every random choice (default: the lesson's, else 0).")
  var seed: UInt64?

  @Option(
    name: .customLong("lang"), help: "Language of the explanations: en or pt-BR.",
    transform: LessonCLI.language)
  var language: LessonLanguage?

  var settings: RunSettings { RunSettings(language: language, seed: seed, backend: backend) }
}

/// Exit codes (sysexits.h) and shared helpers of the lesson commands.
enum LessonCLI {
  /// The lessons in a file or folder; an unreadable path is reported and exits with `unreadable`.
  static func lessonFiles(_ path: String) throws -> [String] {
    do {
      return try LessonFiles.find(path)
    } catch {
      printError(String(describing: error))
      throw unreadable
    }
  }

  /// A lesson ran but something failed: a directive error, an expectation, a snapshot.
  static let failed = ExitCode(1)
  /// A lesson has problems found before running (EX_DATAERR).
  static let invalidLesson = ExitCode(65)
  /// A lesson or folder could not be read (EX_NOINPUT).
  static let unreadable = ExitCode(66)
  /// An output could not be written (EX_CANTCREAT).
  static let unwritable = ExitCode(73)

  @Sendable static func backend(_ text: String) throws -> BackendChoice {
    guard let choice = BackendChoice(rawValue: text) else {
      throw ValidationError("unknown backend '\(text)': use cpu, gpu or auto")
    }
    return choice
  }

  @Sendable static func language(_ text: String) throws -> LessonLanguage {
    guard let language = LessonLanguage(rawValue: text) else {
      throw ValidationError("unknown language '\(text)': use en or pt-BR")
    }
    return language
  }

  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  /// Loads a lesson; problems are printed compiler style and mapped to an exit code.
  static func load(_ path: String) -> Result<PreparedLesson, ExitCode> {
    do {
      return .success(try Lesson.load(path: path))
    } catch LessonError.invalidLesson(let diagnostics) {
      let source = try? String(contentsOfFile: path, encoding: .utf8)
      printError(
        Diagnostics.report(diagnostics, source: source)
          + "\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in \(path); nothing was run")
      return .failure(invalidLesson)
    } catch {
      printError(String(describing: error))
      return .failure(unreadable)
    }
  }
}

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a lesson in the terminal, step by step.",
    discussion: """
      Colours follow the terminal (COLORTERM=truecolor for 24-bit colour); NO_COLOR or output \
      to a file gives plain text. Exit codes: 0 ok, 1 a directive failed, 65 the lesson has \
      errors, 66 it cannot be read.
      """)

  @Argument(help: "The lesson, a Markdown file.")
  var file: String

  @Flag(help: "Pause after each directive: Enter goes on, q quits.")
  var step = false

  @Flag(help: "Show how long each directive took.")
  var timings = false

  @OptionGroup var options: LessonOptions

  func run() throws {
    let lesson: PreparedLesson
    switch LessonCLI.load(file) {
    case .success(let loaded): lesson = loaded
    case .failure(let code): throw code
    }
    var terminal = TerminalOptions.current(environment: ProcessInfo.processInfo.environment)
    terminal.showTimings = timings
    let renderer = TerminalRenderer(options: terminal)
    let settings = options.settings
    let language = settings.language ?? lesson.frontMatter.language ?? .english

    if !lesson.opensWithTitle { write(renderer.header(title: lesson.title)) }
    var stepping = step
    let result = Interpreter().run(lesson, settings: settings) { block, timing in
      write(renderer.render(block, timing: timing, language: language))
      guard stepping, case .directive = block else { return true }
      write(terminal.colour == .none ? "[Enter: next, q: quit] " : "\u{1B}[2m[Enter: next, q: quit]\u{1B}[0m ")
      guard let answer = readLine() else {
        stepping = false  // input ended: run the rest without pausing
        return true
      }
      return answer.trimmingCharacters(in: .whitespaces).lowercased() != "q"
    }
    if !result.failures.isEmpty {
      LessonCLI.printError(
        Diagnostics.report(result.failures, source: lesson.source)
          + "\(result.failures.count) failure\(result.failures.count == 1 ? "" : "s") in \(file)")
      throw LessonCLI.failed
    }
  }

  private func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
