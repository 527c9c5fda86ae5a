// A lesson after it ran: its prose, its ordinary code blocks and the outputs of its directives,
// ready for a renderer. Timings live apart from the blocks so that two runs of the same lesson
// have equal `blocks` (and byte-identical HTML) even though they never take the same time.

public enum LessonLanguage: String, Codable, Sendable, CaseIterable {
  case english = "en"
  case brazilianPortuguese = "pt-BR"
}

public struct EvaluatedLesson: Codable, Equatable, Sendable {
  public var title: String
  public var language: LessonLanguage
  /// The lesson's path as the user named it (used in headers and diagnostics).
  public var sourcePath: String
  public var blocks: [LessonBlock]
  /// How long each directive took, by index into `blocks`. Not part of what `check` compares.
  public var timings: [DirectiveTiming]

  public init(
    title: String, language: LessonLanguage, sourcePath: String, blocks: [LessonBlock],
    timings: [DirectiveTiming] = []
  ) {
    self.title = title
    self.language = language
    self.sourcePath = sourcePath
    self.blocks = blocks
    self.timings = timings
  }

  /// True when the prose already opens with a level-1 heading, so renderers need not add the title.
  public var opensWithTitle: Bool {
    guard case .prose(let prose)? = blocks.first, case .heading(1, _)? = prose.nodes.first else {
      return false
    }
    return true
  }

  public func timing(ofBlock index: Int) -> DirectiveTiming? {
    timings.first { $0.blockIndex == index }
  }
}

public enum LessonBlock: Equatable, Sendable {
  /// A run of Markdown between directives.
  case prose(Prose)
  /// A fenced block without `{…}`: shown as it is.
  case code(CodeListing)
  case directive(DirectiveResult)
}

/// Markdown prose in the two forms the renderers need: a small tree for the terminal, and the HTML
/// cmark made of it in its safe mode (raw HTML and `javascript:` links removed).
public struct Prose: Codable, Equatable, Sendable {
  public var nodes: [MarkdownBlock]
  public var html: String

  public init(nodes: [MarkdownBlock], html: String) {
    self.nodes = nodes
    self.html = html
  }
}

public struct DirectiveResult: Codable, Equatable, Sendable {
  public enum Status: String, Codable, Sendable {
    /// Ran, and every `:expect:` held.
    case succeeded
    /// Threw the error its `:expect-error:` announced (a lesson teaching a mistake).
    case failedAsExpected
    /// Threw unexpectedly, or an expectation did not hold.
    case failed
  }
  public var name: String
  public var arguments: String
  public var line: Int
  public var outputs: [Output]
  public var status: Status

  public init(name: String, arguments: String, line: Int, outputs: [Output], status: Status) {
    self.name = name
    self.arguments = arguments
    self.line = line
    self.outputs = outputs
    self.status = status
  }

  /// `{attend} O gato subiu`, the fence line as written.
  public var invocation: String { arguments.isEmpty ? "{\(name)}" : "{\(name)} \(arguments)" }
}

/// Wall-clock measurements of one directive (never compared, never in snapshots).
public struct DirectiveTiming: Codable, Equatable, Sendable {
  public var blockIndex: Int
  public var seconds: Double
  /// Extra measurements a directive reports, such as "tokens/s".
  public var measurements: [KeyValue]

  public init(blockIndex: Int, seconds: Double, measurements: [KeyValue] = []) {
    self.blockIndex = blockIndex
    self.seconds = seconds
    self.measurements = measurements
  }
}
