// End to end through the built binary: `run`, `render` and `check` on small lessons, their output
// and exit codes (0 ok, 1 failed, 65 invalid lesson, 66 unreadable). Skipped, saying so, if the
// binary was not built next to the test bundle.
import Foundation
import TestSupport
import Testing

/// The minigpt-lessons executable, in the same build folder as the test bundle.
let lessonsBinary: URL? = {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = folder.appendingPathComponent("minigpt-lessons")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    folder.deleteLastPathComponent()
  }
  return nil
}()

struct CommandResult {
  var status: Int32
  var output: String
  var errors: String
}

/// Runs the binary with `arguments` in `folder`, feeding `input` to its standard input.
func lessons(
  _ arguments: [String], in folder: URL, input: String = "",
  environment: [String: String] = ["NO_COLOR": "1", "COLUMNS": "80"]
) throws -> CommandResult {
  let process = Process()
  process.executableURL = lessonsBinary!
  process.arguments = arguments
  process.currentDirectoryURL = folder
  process.environment = environment
  let stdin = Pipe()
  let stdout = Pipe()
  let stderr = Pipe()
  process.standardInput = stdin
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  stdin.fileHandleForWriting.write(Data(input.utf8))
  try stdin.fileHandleForWriting.close()
  let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return CommandResult(status: process.terminationStatus, output: output, errors: errors)
}

/// A scratch course: lessons/01-text.md and lessons/02-bytes.md.
func makeCourse() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
  let lessonsFolder = folder.appendingPathComponent("lessons")
  try FileManager.default.createDirectory(at: lessonsFolder, withIntermediateDirectories: true)
  let first = """
    ---
    title: Text
    summary: Where everything starts.
    ---
    # Text first

    ```{text} O gato subiu no telhado.
    :expect: characters = 24
    ```

    ```{note}
    Bytes come next.
    ```
    """
  let second = """
    ---
    title: Bytes
    language: pt-BR
    ---
    ```{bytes} Ação
    :expect: bytes = 6
    ```

    ```{seed} 3
    ```
    """
  try Data(first.utf8).write(to: lessonsFolder.appendingPathComponent("01-text.md"))
  try Data(second.utf8).write(to: lessonsFolder.appendingPathComponent("02-bytes.md"))
  return folder
}

@Suite(.enabled(if: lessonsBinary != nil, "the minigpt-lessons binary is not built (swift build)"))
struct LessonCommandsTests {
  @Test func runPrintsTheLessonPlainWhenNotATerminal() throws {
    let folder = try makeCourse()
    let result = try lessons(["run", "lessons/01-text.md"], in: folder)
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.hasPrefix("Text first\n══════════\n\n▶ {text} O gato subiu no telhado.\n"))
    #expect(result.output.contains("┃ Note: Bytes come next."))
    #expect(!result.output.contains("\u{1B}"))
    // --lang overrides the front matter.
    let portuguese = try lessons(["run", "lessons/01-text.md", "--lang", "pt-BR"], in: folder)
    #expect(portuguese.output.contains("┃ Nota: Bytes come next."))
  }

  @Test func stepModeStopsOnQ() throws {
    let folder = try makeCourse()
    let result = try lessons(["run", "--step", "lessons/01-text.md"], in: folder, input: "q\n")
    #expect(result.status == 0)
    #expect(result.output.contains("[Enter: next, q: quit]"))
    #expect(!result.output.contains("Bytes come next"))
    let all = try lessons(["run", "--step", "lessons/01-text.md"], in: folder, input: "\n\n")
    #expect(all.output.contains("Bytes come next"))
  }

  @Test func brokenAndMissingLessons() throws {
    let folder = try makeCourse()
    try Data("```{bytse}\n```\n".utf8).write(to: folder.appendingPathComponent("lessons/bad.md"))
    let broken = try lessons(["run", "lessons/bad.md"], in: folder)
    #expect(broken.status == 65)
    #expect(broken.errors.hasPrefix("lessons/bad.md:1:5: error: unknown directive {bytse} (did you mean {bytes}?)\n"))
    #expect(broken.output.isEmpty)
    let missing = try lessons(["run", "lessons/none.md"], in: folder)
    #expect(missing.status == 66)
    #expect(missing.errors == "lessons/none.md: error: cannot read: no such file\n")
    let badOption = try lessons(["run", "lessons/01-text.md", "--backend", "tpu"], in: folder)
    #expect(badOption.status == 64)
  }

  @Test func renderWritesPagesAndAnIndexReproducibly() throws {
    let folder = try makeCourse()
    let first = try lessons(["render", "lessons", "--out", "site"], in: folder)
    #expect(first.status == 0, "\(first.errors)")
    #expect(first.output == "wrote site/01-text.html\nwrote site/02-bytes.html\nwrote site/index.html\n")
    let index = try String(contentsOf: folder.appendingPathComponent("site/index.html"), encoding: .utf8)
    #expect(index.contains("<li><a href=\"01-text.html\">Text</a><p>Where everything starts.</p></li>"))
    let page = try Data(contentsOf: folder.appendingPathComponent("site/02-bytes.html"))
    _ = try lessons(["render", "lessons/02-bytes.md", "--out", "site"], in: folder)
    #expect(try Data(contentsOf: folder.appendingPathComponent("site/02-bytes.html")) == page)
    #expect(String(decoding: page, as: UTF8.self).contains("<html lang=\"pt-BR\">"))
  }

  @Test func checkRecordsAndComparesSnapshots() throws {
    let folder = try makeCourse()
    let fresh = try lessons(["check", "lessons"], in: folder)
    #expect(fresh.status == 0, "\(fresh.errors)")
    #expect(fresh.output.contains("; no snapshot yet (record one with 'check --update')"))
    #expect(fresh.output.hasSuffix("2 passed, 0 failed\n"))

    let update = try lessons(["check", "lessons", "--update"], in: folder)
    #expect(update.status == 0)
    // 02-bytes is in Portuguese (its front matter): explanations are compared, so the snapshot
    // carries the language in its name.
    let snapshot = folder.appendingPathComponent("lessons/.snapshots/02-bytes.pt-BR.json")
    #expect(FileManager.default.fileExists(atPath: snapshot.path))
    #expect(try lessons(["check", "lessons"], in: folder).status == 0)

    // A changed lesson no longer matches its snapshot: reported at the directive's line.
    let lesson = folder.appendingPathComponent("lessons/02-bytes.md")
    let text = try String(contentsOf: lesson, encoding: .utf8).replacingOccurrences(
      of: ":expect: bytes = 6", with: ":expect: bytes = 6\n:limit: 2")
    try Data(text.utf8).write(to: lesson)
    let changed = try lessons(["check", "lessons"], in: folder)
    #expect(changed.status == 1)
    #expect(changed.output.hasSuffix("1 passed, 1 failed\n"))
    #expect(
      changed.errors.hasPrefix(
        "lessons/02-bytes.md:5:1: error: output of {bytes} differs from the snapshot at outputs[0].tokenStrip.pieces: recorded 4 items, now 2"
      ))
  }

  @Test func checkReportsFailedExpectations() throws {
    let folder = try makeCourse()
    let lesson = folder.appendingPathComponent("lessons/01-text.md")
    let text = try String(contentsOf: lesson, encoding: .utf8).replacingOccurrences(
      of: "characters = 24", with: "characters ≈ 30 ± 2")
    try Data(text.utf8).write(to: lesson)
    let result = try lessons(["check", "lessons/01-text.md"], in: folder)
    #expect(result.status == 1)
    #expect(result.errors.hasPrefix("lessons/01-text.md:8:10: error: expected characters ≈ 30 ± 2, got characters = 24\n"))
  }
}
