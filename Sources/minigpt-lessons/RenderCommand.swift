// `minigpt-lessons render FILE|DIR --out output/`: runs lessons and writes one self-contained HTML
// page each (written atomically), plus index.html listing a folder's lessons by title.
import ArgumentParser
import Foundation
import LessonModel
import Lessons
import Render

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Render lessons to self-contained HTML pages.",
    discussion: """
      The same lesson gives byte-identical HTML on the same backend. Exit codes: 0 ok, 1 a \
      lesson failed (its page is still written), 65 a lesson has errors, 66 input cannot be read, \
      73 output cannot be written.
      """)

  @Argument(help: "A lesson (Markdown file) or a folder of lessons.")
  var path: String

  @Option(help: "The folder to write the pages into.")
  var out: String = "output"

  @Flag(help: "Include each directive's time in the pages (they are then no longer reproducible).")
  var timings = false

  @OptionGroup var options: LessonOptions

  func run() throws {
    let files = try LessonCLI.lessonFiles(path)
    let renderer = HTMLRenderer(showTimings: timings)
    let outFolder = URL(fileURLWithPath: out, isDirectory: true)
    var entries: [IndexEntry] = []
    var exitCode: ExitCode?
    var indexLanguage = options.language
    for file in files {
      let lesson: PreparedLesson
      switch LessonCLI.load(file) {
      case .success(let loaded): lesson = loaded
      case .failure(let code):
        exitCode = exitCode ?? code
        continue
      }
      let result = Interpreter().run(lesson, settings: options.settings)
      indexLanguage = indexLanguage ?? result.lesson.language
      let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".html"
      do {
        try LessonFileWriter.write(renderer.render(result.lesson), to: outFolder.appendingPathComponent(name))
      } catch {
        LessonCLI.printError(String(describing: error))
        throw LessonCLI.unwritable
      }
      print("wrote \(outFolder.appendingPathComponent(name).relativePath)")
      entries.append(IndexEntry(title: result.lesson.title, file: name, summary: lesson.frontMatter.summary))
      if !result.failures.isEmpty {
        LessonCLI.printError(Diagnostics.report(result.failures, source: lesson.source))
        exitCode = exitCode ?? LessonCLI.failed
      }
    }
    if files.count > 1 || files.first != path {
      let index = renderer.index(entries: entries, language: indexLanguage ?? .english)
      let url = outFolder.appendingPathComponent("index.html")
      do {
        try LessonFileWriter.write(index, to: url)
      } catch {
        LessonCLI.printError(String(describing: error))
        throw LessonCLI.unwritable
      }
      print("wrote \(url.relativePath)")
    }
    if let exitCode { throw exitCode }
  }
}
