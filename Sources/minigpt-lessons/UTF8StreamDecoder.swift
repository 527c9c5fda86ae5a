// Turning a stream of token bytes into text as it arrives. A byte-level BPE token can end in the
// middle of a multi-byte UTF-8 character ("ã" is C3 A3 and may be split between two tokens), so
// the bytes of an unfinished character wait for the next token. Reference: RFC 3629 §3–4.
struct UTF8StreamDecoder {
  private var pending: [UInt8] = []

  /// The text that the bytes seen so far complete; an unfinished character stays pending.
  mutating func append(_ bytes: [UInt8]) -> String {
    pending += bytes
    let cut = Self.completePrefixLength(pending)
    let text = String(decoding: pending[..<cut], as: UTF8.self)
    pending.removeFirst(cut)
    return text
  }

  /// What is still pending, decoded as is (U+FFFD for an unfinished character).
  mutating func flush() -> String {
    defer { pending = [] }
    return String(decoding: pending, as: UTF8.self)
  }

  /// The length of the longest prefix that does not end inside a character that may still be
  /// completed: only a trailing lead byte with fewer continuation bytes than it announces is held
  /// back. Invalid bytes pass through (the decoder replaces them with U+FFFD).
  static func completePrefixLength(_ bytes: [UInt8]) -> Int {
    var start = bytes.count - 1
    var continuation = 0
    // At most 3 continuation bytes precede the end of a valid unfinished character.
    while start >= 0, continuation < 3, bytes[start] & 0xC0 == 0x80 {
      continuation += 1
      start -= 1
    }
    guard start >= 0 else { return bytes.count }
    let lead = bytes[start]
    let needed: Int
    switch lead {
    case 0xC2...0xDF: needed = 1
    case 0xE0...0xEF: needed = 2
    case 0xF0...0xF4: needed = 3
    default: return bytes.count
    }
    return continuation < needed ? start : bytes.count
  }
}
