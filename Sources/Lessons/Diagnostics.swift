// Compiler-style reporting: every problem as `path:line:col: error: message`, followed by the
// source line and a caret (the clang/swiftc layout), and "did you mean" suggestions chosen by
// optimal-string-alignment distance (Levenshtein plus adjacent transpositions: 'haed' → 'head').
import LessonModel

public enum Diagnostics {
  /// The closest candidate to a misspelt `name`, if it is close enough to be a likely typo.
  public static func suggestion(for name: String, among candidates: [String]) -> String? {
    let limit = name.count <= 3 ? 1 : max(2, name.count / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates.sorted() {
      let distance = editDistance(name.lowercased(), candidate.lowercased())
      if distance <= limit, distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.candidate
  }

  /// " (did you mean 'head'?)" or "" — ready to append to a message.
  static func didYouMean(
    _ name: String, among candidates: [String], quote: (String) -> String = { "'\($0)'" }
  )
    -> String
  {
    suggestion(for: name, among: candidates).map { " (did you mean \(quote($0))?)" } ?? ""
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
  /// adjacent characters each cost 1.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previous2[j - 2] + 1)
        }
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
  }

  /// Diagnostics sorted by position, each with its source line and a caret under the column:
  ///
  ///     lessons/03-attention.md:42:1: error: unknown option 'haed' for {attend} (did you mean 'head'?)
  ///        42 | :haed: 2
  ///           | ^
  public static func report(_ diagnostics: [Diagnostic], source: String?) -> String {
    let lines = source.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } ?? []
    var text = ""
    for diagnostic in sorted(diagnostics) {
      text += diagnostic.summary + "\n"
      let line = diagnostic.location.line
      guard line >= 1, line <= lines.count else { continue }
      let sourceLine = String(lines[line - 1].replacingTabs())
      let number = String(line)
      let gutter = String(repeating: " ", count: number.count)
      let caretOffset = max(0, min(diagnostic.location.column - 1, sourceLine.count))
      text += " \(number) | \(sourceLine)\n"
      text += " \(gutter) | \(String(repeating: " ", count: caretOffset))^\n"
    }
    return text
  }

  /// Stable order: by file, line, column, then message.
  public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
  }
}

extension Substring {
  /// Tabs shown as one space so the caret stays under the right character.
  fileprivate func replacingTabs() -> String {
    String(map { $0 == "\t" ? " " : $0 })
  }
}
