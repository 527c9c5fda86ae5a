// Terminal capabilities and styling: 24-bit colour when COLORTERM says so, the xterm 256-colour
// palette otherwise, and plain text for NO_COLOR (https://no-color.org), TERM=dumb or output that
// is not a terminal. Width from COLUMNS, else the window (ioctl TIOCGWINSZ), else 100.
import LessonModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct TerminalOptions: Equatable, Sendable {
  public enum Colour: Equatable, Sendable {
    case none, palette256, trueColour
  }
  public var colour: Colour
  public var width: Int
  /// Show each directive's time (never in golden files: timings vary).
  public var showTimings: Bool

  public init(colour: Colour = .none, width: Int = 100, showTimings: Bool = false) {
    self.colour = colour
    self.width = max(40, width)
    self.showTimings = showTimings
  }

  /// The options an environment implies. Pure, so it can be tested with any environment.
  public static func detect(
    environment: [String: String], isTerminal: Bool, windowWidth: Int?
  )
    -> TerminalOptions
  {
    let width =
      environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
      ?? windowWidth ?? 100
    let noColour =
      (environment["NO_COLOR"].map { !$0.isEmpty } ?? false)
      || !isTerminal || environment["TERM"] == "dumb"
    let colourTerm = environment["COLORTERM"]?.lowercased()
    let colour: Colour =
      noColour
      ? .none
      : (colourTerm == "truecolor" || colourTerm == "24bit") ? .trueColour : .palette256
    return TerminalOptions(colour: colour, width: width)
  }

  /// The options for this process's standard output.
  public static func current(environment: [String: String]) -> TerminalOptions {
    let isTerminal = isatty(STDOUT_FILENO) == 1
    var size = winsize()
    let window =
      isTerminal && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
      ? Int(size.ws_col) : nil
    return detect(environment: environment, isTerminal: isTerminal, windowWidth: window)
  }
}

/// SGR escape sequences (ECMA-48), or nothing in plain mode.
struct TerminalStyle {
  var colour: TerminalOptions.Colour
  var isPlain: Bool { colour == .none }

  private func sgr(_ codes: String, _ text: String) -> String {
    isPlain || text.isEmpty ? text : "\u{1B}[\(codes)m\(text)\u{1B}[0m"
  }
  func bold(_ text: String) -> String { sgr("1", text) }
  func dim(_ text: String) -> String { sgr("2", text) }
  func italic(_ text: String) -> String { sgr("3", text) }
  func underline(_ text: String) -> String { sgr("4", text) }

  private func code(_ rgb: RGB, background: Bool) -> String {
    switch colour {
    case .none: return ""
    case .palette256: return "\(background ? 48 : 38);5;\(rgb.xterm256Index)"
    case .trueColour: return "\(background ? 48 : 38);2;\(rgb.red);\(rgb.green);\(rgb.blue)"
    }
  }
  func foreground(_ rgb: RGB, _ text: String, bold: Bool = false) -> String {
    sgr((bold ? "1;" : "") + code(rgb, background: false), text)
  }
  /// Text on a coloured background, in black or white, whichever reads better.
  func cell(_ rgb: RGB, _ text: String, bold: Bool = false) -> String {
    sgr((bold ? "1;" : "") + code(rgb.textColour, background: false) + ";" + code(rgb, background: true), text)
  }

  // The few fixed colours of the terminal theme.
  static let accent = RGB(0x4E, 0x9A, 0xE6)
  static let codeColour = RGB(0xD7, 0x87, 0x00)
  static let noteColour = RGB(0x4E, 0x9A, 0xE6)
  static let warningColour = RGB(0xE5, 0xA5, 0x0A)
  static let errorColour = RGB(0xE0, 0x40, 0x40)
  static let barColour = RGB(0x4E, 0x9A, 0xE6)
}

/// A piece of text with a style, before wrapping.
struct StyledRun {
  var text: String
  var style: (String) -> String
}

extension TerminalStyle {
  /// Word-wraps runs to `width` columns. Every line starts with `firstPrefix` (first line) or
  /// `prefix` (the others); prefixes are counted in the width. "\n" in a run forces a break.
  func wrap(_ runs: [StyledRun], width: Int, firstPrefix: String = "", prefix: String = "") -> [String] {
    // Split into words (styled pieces between spaces); a forced break is a nil word.
    var words: [[(String, (String) -> String)]?] = []
    var current: [(String, (String) -> String)] = []
    func endWord() {
      if !current.isEmpty { words.append(current) }
      current = []
    }
    for run in runs {
      var piece = ""
      for character in run.text {
        if character == " " || character == "\n" {
          if !piece.isEmpty { current.append((piece, run.style)) }
          piece = ""
          endWord()
          if character == "\n" { words.append(nil) }
        } else {
          piece.append(character)
        }
      }
      if !piece.isEmpty { current.append((piece, run.style)) }
    }
    endWord()

    var lines: [String] = []
    var line = firstPrefix
    var lineWidth = DisplayWidth.of(firstPrefix)
    var lineHasWord = false
    func breakLine() {
      lines.append(line)
      line = prefix
      lineWidth = DisplayWidth.of(prefix)
      lineHasWord = false
    }
    for rawWord in words {
      guard let rawWord else {
        breakLine()
        continue
      }
      let word = rawWord.map { (visibleControls($0.0), $0.1) }
      var wordWidth = word.reduce(0) { $0 + DisplayWidth.of($1.0) }
      if lineHasWord && lineWidth + 1 + wordWidth > width { breakLine() }
      if lineHasWord {
        line += " "
        lineWidth += 1
      }
      // A word longer than a line is cut rather than overflowing.
      let room = max(1, width - lineWidth)
      var pieces = word
      if wordWidth > room {
        pieces = [(DisplayWidth.truncate(word.map { $0.0 }.joined(), to: room), word[0].1)]
        wordWidth = room
      }
      for (text, style) in pieces { line += style(text) }
      lineWidth += wordWidth
      lineHasWord = true
    }
    if lineHasWord || lines.isEmpty { lines.append(line) }
    return lines
  }
}
