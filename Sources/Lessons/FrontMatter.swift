// Optional YAML front matter at the top of a lesson, between two `---` lines (the Jekyll/Quarto
// convention), parsed with Yams: title, summary, language (en | pt-BR), seed, backend, and model
// defaults. Unknown keys and bad values are diagnostics with the file's own line numbers.
import LessonModel
import MiniGPT
import Yams

public struct FrontMatter: Equatable, Sendable {
  public var title: String?
  /// One line for the course index.
  public var summary: String?
  public var language: LessonLanguage?
  public var seed: UInt64?
  public var backend: BackendChoice?
  /// Defaults for the session's model (`preset: tiny`, `layers: 2`, …), as written.
  public var model: [String: String] = [:]

  public init() {}

  static let keys = ["title", "summary", "language", "seed", "backend", "model"]

  /// Splits `source` into front matter and Markdown. The Markdown keeps the file's line count (the
  /// front matter lines become empty), so cmark's line numbers are the file's line numbers.
  static func split(_ source: String, path: String) -> (FrontMatter, markdown: String, [Diagnostic]) {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let first = lines.first, first.trimmingTrailingSpace() == "---" else {
      return (FrontMatter(), source, [])
    }
    guard
      let end = lines.indices.dropFirst().first(where: { [lines] in
        let line = lines[$0].trimmingTrailingSpace()
        return line == "---" || line == "..."
      })
    else {
      let problem = Diagnostic(
        .error, at: SourceLocation(path: path, line: 1),
        "front matter opened here is never closed (add a line with '---' after it)")
      return (FrontMatter(), source, [problem])
    }
    let yaml = lines[1..<end].joined(separator: "\n")
    for index in 0...end { lines[index] = "" }
    let (frontMatter, problems) = parse(yaml, path: path, firstLine: 2)
    return (frontMatter, lines.joined(separator: "\n"), problems)
  }

  /// Parses the YAML between the fences; `firstLine` is the file line of the YAML's first line.
  static func parse(_ yaml: String, path: String, firstLine: Int) -> (FrontMatter, [Diagnostic]) {
    var result = FrontMatter()
    var problems: [Diagnostic] = []
    func location(_ mark: Mark?) -> SourceLocation {
      SourceLocation(path: path, line: (mark?.line ?? 1) + firstLine - 1, column: mark?.column ?? 1)
    }
    func fail(_ mark: Mark?, _ message: String) {
      problems.append(Diagnostic(.error, at: location(mark), message))
    }

    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      let (mark, problem) = error.markAndProblem
      fail(mark, "front matter is not valid YAML: \(problem)")
      return (result, problems)
    } catch {
      fail(nil, "front matter is not valid YAML: \(error)")
      return (result, problems)
    }
    guard let root else { return (result, problems) }
    guard let mapping = root.mapping else {
      fail(root.mark, "front matter must be a mapping of keys to values (title: …, language: …)")
      return (result, problems)
    }

    for (keyNode, value) in mapping {
      let key = keyNode.string ?? ""
      let scalar = value.scalar?.string
      switch key {
      case "title", "summary":
        guard let scalar else {
          fail(value.mark, "'\(key)' must be text")
          continue
        }
        if key == "title" { result.title = scalar } else { result.summary = scalar }
      case "language":
        if let scalar, let language = LessonLanguage(rawValue: scalar) {
          result.language = language
        } else {
          let all = LessonLanguage.allCases.map(\.rawValue)
          fail(
            value.mark,
            "'language' must be one of \(all.joined(separator: ", ")); got '\(scalar ?? "")'"
              + Diagnostics.didYouMean(scalar ?? "", among: all))
        }
      case "seed":
        if let scalar, let seed = UInt64(scalar) {
          result.seed = seed
        } else {
          fail(value.mark, "'seed' must be a whole number ≥ 0, got '\(scalar ?? "")'")
        }
      case "backend":
        if let scalar, let backend = BackendChoice(rawValue: scalar) {
          result.backend = backend
        } else {
          let all = BackendChoice.allCases.map(\.rawValue)
          fail(
            value.mark,
            "'backend' must be one of \(all.joined(separator: ", ")); got '\(scalar ?? "")'"
              + Diagnostics.didYouMean(scalar ?? "", among: all))
        }
      case "model":
        guard let entries = value.mapping else {
          fail(value.mark, "'model' must be a mapping (preset: tiny, …)")
          continue
        }
        for (modelKey, modelValue) in entries {
          guard let name = modelKey.string, let text = modelValue.scalar?.string else {
            fail(modelValue.mark, "'model' entries must be simple values")
            continue
          }
          result.model[name] = text
        }
      default:
        fail(
          keyNode.mark,
          "unknown front matter key '\(key)'" + Diagnostics.didYouMean(key, among: keys))
      }
    }
    return (result, problems)
  }
}

extension YamlError {
  fileprivate var markAndProblem: (Mark?, String) {
    switch self {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return (mark, problem)
    default:
      return (nil, String(describing: self))
    }
  }
}

extension String {
  fileprivate func trimmingTrailingSpace() -> Substring {
    var text = Substring(self)
    while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
    return text
  }
}
