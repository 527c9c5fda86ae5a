// A small line editor for the chat REPL: the terminal in raw mode (termios(3): no echo, no
// canonical line buffering, no signal keys) while a line is read, and emacs-style keys as in
// readline: ←/→ (Ctrl-B/F), Home/End (Ctrl-A/E), Backspace, Delete, Ctrl-K/U/W, ↑/↓ history,
// Ctrl-L clears, Ctrl-C drops the line, Ctrl-D at an empty line ends input. Keys are decoded from
// ECMA-48 / xterm escape sequences. When standard input is not a terminal it reads plain lines.
// Lines wider than the terminal are redrawn from column 0 and may wrap untidily.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The editing state alone (no terminal), so every key's effect is plain data.
struct LineBuffer {
  private(set) var characters: [Character] = []
  private(set) var cursor = 0

  var text: String { String(characters) }

  mutating func set(_ text: String) {
    characters = Array(text)
    cursor = characters.count
  }
  mutating func insert(_ text: String) {
    let new = Array(text)
    characters.insert(contentsOf: new, at: cursor)
    cursor += new.count
  }
  mutating func backspace() {
    guard cursor > 0 else { return }
    characters.remove(at: cursor - 1)
    cursor -= 1
  }
  mutating func deleteForward() {
    guard cursor < characters.count else { return }
    characters.remove(at: cursor)
  }
  mutating func left() { cursor = max(0, cursor - 1) }
  mutating func right() { cursor = min(characters.count, cursor + 1) }
  mutating func home() { cursor = 0 }
  mutating func end() { cursor = characters.count }
  mutating func killToEnd() { characters.removeSubrange(cursor...) }
  mutating func killToStart() {
    characters.removeSubrange(..<cursor)
    cursor = 0
  }
  /// Ctrl-W: the word before the cursor and the spaces after it.
  mutating func killWordBefore() {
    var start = cursor
    while start > 0, characters[start - 1] == " " { start -= 1 }
    while start > 0, characters[start - 1] != " " { start -= 1 }
    characters.removeSubrange(start..<cursor)
    cursor = start
  }
}

final class LineEditor {
  private(set) var history: [String] = []
  let interactive: Bool

  init() {
    interactive = Terminal.standardInputIsTTY && Terminal.standardOutputIsTTY
  }

  /// One line without its newline, or nil at the end of input.
  func readLine(prompt: String) -> String? {
    guard interactive, var original = enterRawMode() else {
      return Swift.readLine(strippingNewline: true)
    }
    defer { tcsetattr(STDIN_FILENO, TCSANOW, &original) }
    let line = edit(prompt: prompt)
    if let line, !line.trimmingCharacters(in: .whitespaces).isEmpty, history.last != line { history.append(line) }
    return line
  }

  private func enterRawMode() -> termios? {
    var original = termios()
    guard tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
    var raw = original
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
    raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
    withUnsafeMutableBytes(of: &raw.c_cc) { cc in
      cc[Int(VMIN)] = 1
      cc[Int(VTIME)] = 0
    }
    // TCSANOW, not TCSAFLUSH: keys typed ahead (or written by a test through a pty) are kept.
    guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
    return original
  }

  private func readByte() -> UInt8? {
    var byte: UInt8 = 0
    while true {
      let n = read(STDIN_FILENO, &byte, 1)
      if n == 1 { return byte }
      if n < 0 && errno == EINTR { continue }
      return nil
    }
  }

  private func edit(prompt: String) -> String? {
    var buffer = LineBuffer()
    var index = history.count  // history.count = the line being typed
    var draft = ""
    func redraw() {
      let after = buffer.characters.count - buffer.cursor
      writeStandardOutput("\r" + prompt + buffer.text + "\u{1B}[K" + (after > 0 ? "\u{1B}[\(after)D" : ""))
    }
    func recall(_ newIndex: Int) {
      guard newIndex >= 0, newIndex <= history.count, newIndex != index else { return }
      if index == history.count { draft = buffer.text }
      index = newIndex
      buffer.set(index == history.count ? draft : history[index])
    }
    redraw()
    while let byte = readByte() {
      switch byte {
      case 13, 10:  // Enter
        writeStandardOutput("\n")
        return buffer.text
      case 4:  // Ctrl-D: end of input on an empty line, else delete forward
        if buffer.characters.isEmpty {
          writeStandardOutput("\n")
          return nil
        }
        buffer.deleteForward()
      case 3:  // Ctrl-C: drop the line
        writeStandardOutput("^C\n")
        return ""
      case 127, 8: buffer.backspace()
      case 1: buffer.home()
      case 5: buffer.end()
      case 2: buffer.left()
      case 6: buffer.right()
      case 11: buffer.killToEnd()
      case 21: buffer.killToStart()
      case 23: buffer.killWordBefore()
      case 16: recall(index - 1)  // Ctrl-P
      case 14: recall(index + 1)  // Ctrl-N
      case 12: writeStandardOutput("\u{1B}[H\u{1B}[2J")
      case 27:
        switch readEscapeSequence() {
        case .up: recall(index - 1)
        case .down: recall(index + 1)
        case .left: buffer.left()
        case .right: buffer.right()
        case .home: buffer.home()
        case .end: buffer.end()
        case .delete: buffer.deleteForward()
        case .other: break
        }
      case 0..<32: break  // other control keys are ignored
      default:
        if let text = readCharacter(startingWith: byte) { buffer.insert(text) }
      }
      redraw()
    }
    return buffer.characters.isEmpty ? nil : buffer.text
  }

  enum EscapeKey { case up, down, left, right, home, end, delete, other }

  /// After ESC: ESC [ A/B/C/D arrows, ESC [ H/F or ESC O H/F home/end, ESC [ 1~/4~/7~/8~ home/end,
  /// ESC [ 3~ delete (xterm's sequences).
  private func readEscapeSequence() -> EscapeKey {
    guard let introducer = readByte(), introducer == UInt8(ascii: "[") || introducer == UInt8(ascii: "O") else { return .other }
    var parameter = ""
    while let b = readByte() {
      if (0x30...0x3F).contains(b) {
        parameter.append(Character(Unicode.Scalar(b)))
        continue
      }
      switch (Character(Unicode.Scalar(b)), parameter) {
      case ("A", _): return .up
      case ("B", _): return .down
      case ("C", _): return .right
      case ("D", _): return .left
      case ("H", _), ("~", "1"), ("~", "7"): return .home
      case ("F", _), ("~", "4"), ("~", "8"): return .end
      case ("~", "3"): return .delete
      default: return .other
      }
    }
    return .other
  }

  /// The rest of a UTF-8 character whose first byte is `lead`.
  private func readCharacter(startingWith lead: UInt8) -> String? {
    let length: Int
    switch lead {
    case 0x20..<0x80: length = 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return nil
    }
    var bytes = [lead]
    while bytes.count < length, let next = readByte() { bytes.append(next) }
    return String(bytes: bytes, encoding: .utf8)
  }
}
