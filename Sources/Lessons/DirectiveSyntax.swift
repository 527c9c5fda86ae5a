// The MyST-style directive block (https://mystmd.org/guide/syntax-overview#directives):
//
//     ```{attend} O gato subiu no telhado      ← fence line: {name} then arguments
//     :layer: 0                                ← option lines, `:key: value`, until the first other line
//     :head: 2
//     optional body                            ← (one blank line after the options is skipped)
//     ```
//
// Parsed from cmark's info string and literal; lines and columns are the file's, computed from the
// fence position (cmark strips the fence's indentation from content lines, so they share it).

struct OptionSyntax: Equatable {
  var key: String
  var value: String
  var line: Int
  /// Column of the leading ':' and of the value's first character.
  var keyColumn: Int
  var valueColumn: Int
}

struct SyntaxProblem: Equatable {
  var line: Int
  var column: Int
  var message: String
  init(_ line: Int, _ column: Int, _ message: String) {
    (self.line, self.column, self.message) = (line, column, message)
  }
}

struct DirectiveSyntax: Equatable {
  var name: String
  var arguments: String
  var line: Int
  /// Column of the fence, of the name (after '{') and of the arguments.
  var fenceColumn: Int
  var nameColumn: Int
  var argumentsColumn: Int
  var options: [OptionSyntax]
  var body: String
  var bodyLine: Int
  /// Malformed pieces, found while parsing.
  var problems: [SyntaxProblem]

  /// True when a fenced block's info string asks for a directive.
  static func isDirective(_ block: CodeBlockSyntax) -> Bool { block.info.hasPrefix("{") }

  /// Parses a directive block. `fenceLine` is the raw source line of the fence (for columns).
  init(_ block: CodeBlockSyntax, fenceLine: String) {
    line = block.line
    fenceColumn = block.column
    problems = []
    // Where the info string starts on the raw line: after the fence run and spaces.
    let raw = Array(fenceLine)
    var index = max(0, block.column - 1)
    if index < raw.count, raw[index] == "`" || raw[index] == "~" {
      let fenceCharacter = raw[index]
      while index < raw.count, raw[index] == fenceCharacter { index += 1 }
    }
    while index < raw.count, raw[index] == " " || raw[index] == "\t" { index += 1 }
    let infoColumn = index + 1

    // {name} arguments
    let info = block.info
    nameColumn = infoColumn + 1
    if let close = info.firstIndex(of: "}") {
      name = String(info[info.index(after: info.startIndex)..<close])
      let rest = info[info.index(after: close)...]
      let trimmed = rest.drop { $0 == " " || $0 == "\t" }
      arguments = String(trimmed).trimmingSpaces()
      argumentsColumn = infoColumn + info.distance(from: info.startIndex, to: trimmed.startIndex)
      if !Self.isValidName(name) {
        problems.append(
          SyntaxProblem(
            line, nameColumn,
            "'\(name)' is not a directive name (use letters, digits and '-', as in {train-step})"))
      }
    } else {
      name = ""
      arguments = ""
      argumentsColumn = infoColumn
      problems.append(
        SyntaxProblem(
          line, infoColumn,
          "malformed directive fence '\(info)': expected '{name}' and optional arguments"))
    }

    // :key: value lines, then the body.
    var lines = block.literal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var options: [OptionSyntax] = []
    var cursor = 0
    let contentColumn = block.column  // content lines keep the fence's indentation column
    while cursor < lines.count, lines[cursor].hasPrefix(":") {
      let lineNumber = line + 1 + cursor
      if let option = Self.option(lines[cursor], line: lineNumber, column: contentColumn) {
        options.append(option)
      } else {
        problems.append(
          SyntaxProblem(
            lineNumber, contentColumn,
            "malformed option line '\(lines[cursor])': expected ':name: value'"))
      }
      cursor += 1
    }
    if !options.isEmpty, cursor < lines.count, lines[cursor].trimmingSpaces().isEmpty { cursor += 1 }
    self.options = options
    bodyLine = line + 1 + cursor
    body = cursor < lines.count ? lines[cursor...].joined(separator: "\n") + "\n" : ""
  }

  /// `:key: value` → OptionSyntax; nil if the line is not of that form.
  private static func option(_ text: String, line: Int, column: Int) -> OptionSyntax? {
    let characters = Array(text)
    guard characters.first == ":", let close = characters.dropFirst().firstIndex(of: ":") else {
      return nil
    }
    let key = String(characters[1..<close])
    guard isValidName(key) else { return nil }
    let afterKey = characters[(close + 1)...]
    guard afterKey.isEmpty || afterKey.first == " " || afterKey.first == "\t" else { return nil }
    let valueStart = afterKey.firstIndex { $0 != " " && $0 != "\t" } ?? characters.count
    let value = String(characters[valueStart...]).trimmingSpaces()
    return OptionSyntax(
      key: key, value: value, line: line, keyColumn: column,
      valueColumn: column + valueStart)
  }

  /// Letters, digits, '-' and '_', starting with a letter.
  static func isValidName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else {
      return false
    }
    return name.unicodeScalars.allSatisfy {
      $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
    }
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces, tabs and carriage returns.
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = lastIndex(where: { !isSpace($0) })!
    return String(self[start...end])
  }
}
