// How many terminal columns a string takes, after Markus Kuhn's wcwidth
// (https://www.cl.cam.ac.uk/~mgk25/ucs/wcwidth.c) and Unicode UAX #11: East Asian Wide and
// Fullwidth characters and emoji take 2 columns, combining marks and zero-width characters 0.
// Counted per grapheme cluster, so "é" written e + U+0301 is 1 and a ZWJ emoji sequence is 2.

public enum DisplayWidth {
  /// Columns `text` takes on a terminal. ANSI escape sequences must not be included.
  public static func of(_ text: String) -> Int {
    text.reduce(0) { $0 + of($1) }
  }

  public static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    // An emoji (including ZWJ sequences, flags, and a text symbol with the emoji presentation
    // selector U+FE0F) is drawn as one 2-column glyph.
    if first.properties.isEmojiPresentation
      || scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D })
    {
      return 2
    }
    // Otherwise each scalar takes its own width: combining marks 0, halfwidth sound marks 1.
    return scalars.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value == 0 { return 0 }
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }  // control characters
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if value == 0x200B || (0x1160...0x11FF).contains(value) { return 0 }  // ZWSP, Hangul medial vowels
    if scalar.properties.isEmojiPresentation { return 2 }
    return isWide(value) ? 2 : 1
  }

  /// East Asian Wide (W) and Fullwidth (F) blocks.
  private static func isWide(_ v: UInt32) -> Bool {
    (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
      || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
      || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
      || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v)
  }

  /// `text` cut to at most `width` columns, ending in "…" when something was cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard of(text) > width else { return text }
    guard width > 0 else { return "" }
    var result = ""
    var used = 0
    for character in text {
      let w = of(character)
      if used + w > width - 1 { break }
      result.append(character)
      used += w
    }
    return result + "…"
  }

  /// `text` padded with spaces to `width` columns, placed by `alignment` ("left", "right", "center").
  static func pad(_ text: String, to width: Int, _ alignment: Alignment = .left) -> String {
    let gap = max(0, width - of(text))
    switch alignment {
    case .left: return text + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + text
    case .center:
      return String(repeating: " ", count: gap / 2) + text + String(repeating: " ", count: gap - gap / 2)
    }
  }

  enum Alignment {
    case left, right, center
  }
}

/// Whitespace and control characters drawn visibly inside tokens and labels, where " gato" and
/// "gato" are different tokens: space → "␣", newline → "↵", tab → "⇥", others → "\u{…}".
public func visibleWhitespace(_ text: String) -> String {
  var result = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case " ": result += "␣"
    case "\n": result += "↵"
    case "\t": result += "⇥"
    case "\r": result += "␍"
    default:
      if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
        result += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  return result
}
