// GPT-2's pre-tokenization pattern, evaluated by hand over UTF-8 bytes (no regex engine):
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Reference: openai/gpt-2 src/encoder.py; HF tokenizers pre_tokenizers/byte_level.rs (same pattern,
// Oniguruma: \s = White_Space, \p{L} = general category L*, \p{N} = N*). Checked against HF in
// Tests/Fixtures/tokenizer/cases.json.

/// The class of one character for the pattern above.
enum CharacterClass: UInt8 {
  case letter, number, whitespace, other
}

/// Character classes of the Basic Multilingual Plane, computed once from Swift's Unicode tables
/// (a table read is ~10× faster than `Unicode.Scalar.Properties`; the planes above are rare and
/// are classified on the fly).
private let basicPlaneClasses: [CharacterClass] = (0..<0x10000).map { value in
  guard let scalar = Unicode.Scalar(UInt32(value)) else { return .other }  // surrogates
  return classify(scalar)
}

/// Classes follow Unicode 16.0, the version of HF tokenizers 0.23.3's Oniguruma tables: a
/// character assigned later (Swift 6.3 knows Unicode 17) is unassigned there, so "other" here —
/// checked for every code point in Tests/Fixtures/tokenizer/unicode_classes.txt.
private func classify(_ scalar: Unicode.Scalar) -> CharacterClass {
  let properties = scalar.properties
  if let age = properties.age, age.major > 16 { return .other }
  if properties.isWhitespace { return .whitespace }
  switch properties.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
    return .letter
  case .decimalNumber, .letterNumber, .otherNumber:
    return .number
  default:
    return .other
  }
}

/// The class and UTF-8 length of the character starting at `i` (`i < end`). A byte that does not
/// start a valid UTF-8 sequence (invalid input read from a file) is one character of class
/// `.other`: encoding never fails and its bytes still round-trip.
@inline(__always)
func characterClass(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (CharacterClass, Int) {
  let b0 = p[i]
  if b0 < 0x80 { return (asciiClasses[Int(b0)], 1) }
  @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
    guard k < end, p[k] >= low, p[k] <= high else { return nil }
    return UInt32(p[k] & 0x3F)
  }
  switch b0 {
  case 0xC2...0xDF:
    guard let c1 = continuation(i + 1) else { return (.other, 1) }
    return (basicPlaneClasses[Int(UInt32(b0 & 0x1F) << 6 | c1)], 2)
  case 0xE0...0xEF:
    let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80, high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
    guard let c1 = continuation(i + 1, low, high), let c2 = continuation(i + 2) else { return (.other, 1) }
    return (basicPlaneClasses[Int(UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2)], 3)
  case 0xF0...0xF4:
    let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80, high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
    guard let c1 = continuation(i + 1, low, high), let c2 = continuation(i + 2),
      let c3 = continuation(i + 3)
    else { return (.other, 1) }
    let value = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
    return (classify(Unicode.Scalar(value)!), 4)
  default:
    return (.other, 1)
  }
}

private let asciiClasses: [CharacterClass] = (0..<128).map { basicPlaneClasses[$0] }

/// Splits UTF-8 bytes into GPT-2 pre-tokens; `next()` returns each pre-token's byte range.
///
/// The pattern's alternatives are tried in order at the current position, as a regex engine does:
/// 1. a contraction `'s 't 're 've 'm 'll 'd` (lowercase only, as in GPT-2);
/// 2–4. an optional single space (U+0020) and then a run of letters, of numbers, or of other
///    characters (neither whitespace, letter nor number), the class of the first character choosing;
/// 5. a whitespace run not followed by a non-space: a run that ends before text gives up its last
///    character, which then starts the next pre-token (`"  hi"` → `" "`, `" hi"`);
/// 6. a whitespace run (one character, when 5 could not match).
/// Every character starts some alternative, so the pre-tokens cover the input with no gaps.
struct PreTokenizer {
  let base: UnsafePointer<UInt8>
  let end: Int
  var position: Int

  init(_ buffer: UnsafeBufferPointer<UInt8>) {
    base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!  // never read when count == 0
    end = buffer.count
    position = 0
  }

  mutating func next() -> Range<Int>? {
    let start = position
    guard start < end else { return nil }
    let p = base
    let b0 = p[start]

    // 1. Contractions.
    if b0 == UInt8(ascii: "'"), start + 1 < end {
      let b1 = p[start + 1]
      if b1 == UInt8(ascii: "s") || b1 == UInt8(ascii: "t") || b1 == UInt8(ascii: "m") || b1 == UInt8(ascii: "d") {
        position = start + 2
        return start..<position
      }
      if start + 2 < end {
        let b2 = p[start + 2]
        if (b1 == UInt8(ascii: "r") && b2 == UInt8(ascii: "e")) || (b1 == UInt8(ascii: "v") && b2 == UInt8(ascii: "e"))
          || (b1 == UInt8(ascii: "l") && b2 == UInt8(ascii: "l"))
        {
          position = start + 3
          return start..<position
        }
      }
    }

    // 2–4. ` ?` then a run of one class.
    var (cls, length) = characterClass(p, start, end)
    var runStart = start
    if b0 == 0x20, start + 1 < end {
      let (nextClass, nextLength) = characterClass(p, start + 1, end)
      if nextClass != .whitespace {
        cls = nextClass
        length = nextLength
        runStart = start + 1
      }
    }
    if cls != .whitespace {
      var i = runStart + length
      while i < end {
        let (c, l) = characterClass(p, i, end)
        if c != cls { break }
        i += l
      }
      position = i
      return start..<i
    }

    // 5–6. Whitespace.
    var i = start + length
    var lastStart = start
    while i < end {
      let (c, l) = characterClass(p, i, end)
      if c != .whitespace { break }
      lastStart = i
      i += l
    }
    position = (i < end && lastStart > start) ? lastStart : i
    return start..<position
  }
}

extension PreTokenizer {
  /// The pre-tokens of `bytes` as byte arrays (a convenience for tests and explanations).
  static func split(_ bytes: [UInt8]) -> [[UInt8]] {
    bytes.withUnsafeBufferPointer { buffer in
      var splitter = PreTokenizer(buffer)
      var out: [[UInt8]] = []
      while let range = splitter.next() { out.append(Array(buffer[range])) }
      return out
    }
  }
}
