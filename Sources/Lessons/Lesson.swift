// A lesson read and checked, ready to run: front matter, prose, code blocks and validated
// directives in document order. Preparing never runs a directive; every problem is collected and
// thrown at once as `LessonError.invalidLesson`.
import Foundation
import LessonModel

public struct PreparedLesson {
  public enum Step {
    case prose(Prose)
    case code(CodeListing)
    case directive(PreparedDirective)
  }
  /// The path as the user gave it (shown in diagnostics).
  public var path: String
  public var source: String
  public var frontMatter: FrontMatter
  public var title: String
  public var lessonDirectory: URL
  public var steps: [Step]

  /// True when the prose opens with a level-1 heading (renderers then need not add the title).
  public var opensWithTitle: Bool {
    guard case .prose(let prose)? = steps.first, case .heading(1, _)? = prose.nodes.first else { return false }
    return true
  }

  public var directives: [PreparedDirective] {
    steps.compactMap { if case .directive(let d) = $0 { return d } else { return nil } }
  }
}

public enum Lesson {
  /// Lessons larger than this are refused rather than read into memory.
  public static let maximumSize = 8 << 20

  /// Reads and prepares the lesson at `path`.
  public static func load(path: String, registry: DirectiveRegistry = .standard) throws -> PreparedLesson {
    let url = URL(fileURLWithPath: path)
    let source = try readText(at: url, shownAs: path)
    return try prepare(
      source: source, path: path,
      lessonDirectory: url.deletingLastPathComponent(), registry: registry)
  }

  /// Reads a UTF-8 text file with a size limit; errors name the path as the user wrote it.
  public static func readText(at url: URL, shownAs path: String, limit: Int = maximumSize) throws -> String {
    let data: Data
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      if let size = attributes[.size] as? Int, size > limit {
        throw LessonError.unreadable(path: path, reason: "larger than \(limit >> 20) MB")
      }
      data = try Data(contentsOf: url)
    } catch let error as LessonError {
      throw error
    } catch {
      let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file"
      throw LessonError.unreadable(path: path, reason: reason)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LessonError.unreadable(path: path, reason: "not UTF-8 text")
    }
    return text
  }

  /// Parses and validates `source`. `path` is used in diagnostics.
  public static func prepare(
    source: String, path: String, lessonDirectory: URL, registry: DirectiveRegistry = .standard
  ) throws -> PreparedLesson {
    var text = source.replacingOccurrences(of: "\r\n", with: "\n")
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // a byte-order mark from some editors
    var (frontMatter, markdown, problems) = FrontMatter.split(text, path: path)
    let document = Markdown.parse(markdown)
    let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let validator = DirectiveValidator(path: path, lessonDirectory: lessonDirectory, registry: registry)

    for point in document.nestedDirectiveFences {
      problems.append(
        Diagnostic(
          .error, at: SourceLocation(path: path, line: point.line, column: point.column),
          "directives must start at the top level of the lesson, not inside a list or a quote"))
    }

    var steps: [PreparedLesson.Step] = []
    var prose: [MarkdownBlock] = []
    var proseHTML = ""
    func flushProse() {
      if !prose.isEmpty { steps.append(.prose(Prose(nodes: prose, html: proseHTML))) }
      prose = []
      proseHTML = ""
    }
    for item in document.items {
      switch item {
      case .prose(let block, let html):
        prose.append(block)
        proseHTML += html
      case .code(let block) where DirectiveSyntax.isDirective(block):
        flushProse()
        let fenceLine = block.line <= rawLines.count ? String(rawLines[block.line - 1]) : ""
        let (directive, directiveProblems) = validator.validate(DirectiveSyntax(block, fenceLine: fenceLine))
        problems += directiveProblems
        if let directive { steps.append(.directive(directive)) }
      case .code(let block):
        flushProse()
        let language = block.info.split(separator: " ").first.map(String.init) ?? ""
        steps.append(.code(CodeListing(language: language, text: block.literal)))
      }
    }
    flushProse()
    if !problems.isEmpty { throw LessonError.invalidLesson(Diagnostics.sorted(problems)) }

    return PreparedLesson(
      path: path, source: text, frontMatter: frontMatter,
      title: title(frontMatter: frontMatter, steps: steps, path: path),
      lessonDirectory: lessonDirectory, steps: steps)
  }

  /// The front matter's title, else the first level-1 heading, else the file name.
  static func title(frontMatter: FrontMatter, steps: [PreparedLesson.Step], path: String) -> String {
    if let title = frontMatter.title { return title }
    for case .prose(let prose) in steps {
      for case .heading(1, let inlines) in prose.nodes { return inlines.plainText }
    }
    return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  }
}
