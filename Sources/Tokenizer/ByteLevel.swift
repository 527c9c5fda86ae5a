// The GPT-2 byte-to-unicode map: every byte value gets a printable character, so byte-level
// tokens can be stored as strings in vocab.json / tokenizer.json.
// Reference: openai/gpt-2 src/encoder.py `bytes_to_unicode`; HF tokenizers pre_tokenizers/byte_level.rs.

/// The byte ↔ character map of GPT-2's byte-level BPE.
///
/// Printable bytes keep their own character: `!`…`~` (33–126), `¡`…`¬` (161–172) and `®`…`ÿ` (174–255).
/// The other 68 bytes (control characters, space, DEL, NBSP, soft hyphen…) are shifted to U+0100 and
/// up, in byte order: byte 0 → `Ā` (U+0100), space (32) → `Ġ` (U+0120), newline (10) → `Ċ` (U+010A).
public enum ByteLevel {
  /// The character of each byte value, indexed by the byte.
  public static let characters: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: "\0", count: 256)
    var shifted: UInt32 = 0
    for byte in 0..<256 {
      if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
        table[byte] = Unicode.Scalar(UInt32(byte))!
      } else {
        table[byte] = Unicode.Scalar(256 + shifted)!
        shifted += 1
      }
    }
    return table
  }()

  /// The byte of each character of the map (the inverse of `characters`).
  static let byteOfScalar: [UInt32: UInt8] = {
    var map: [UInt32: UInt8] = [:]
    for (byte, scalar) in characters.enumerated() { map[scalar.value] = UInt8(byte) }
    return map
  }()

  /// The 256 byte values ordered by the code point of their character: the order in which
  /// HF's trainer (and GPT-2's vocab.json) number the byte tokens ("!" first, "Ń" = byte 173 last).
  public static let bytesInVocabularyOrder: [UInt8] = (0..<256).map { UInt8($0) }
    .sorted { characters[Int($0)].value < characters[Int($1)].value }

  /// The printable string of some raw bytes, e.g. `[0x20, 0x61]` → `"Ġa"`.
  public static func string(of bytes: some Sequence<UInt8>) -> String {
    var view = String.UnicodeScalarView()
    for byte in bytes { view.append(characters[Int(byte)]) }
    return String(view)
  }

  /// The raw bytes of a byte-level string, or nil if some character is outside the map.
  public static func bytes(of token: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(token.unicodeScalars.count)
    for scalar in token.unicodeScalars {
      guard let byte = byteOfScalar[scalar.value] else { return nil }
      out.append(byte)
    }
    return out
  }

  /// The bytes a token decodes to, by HF's ByteLevel decoder rule: the mapped bytes when every
  /// character is in the map, else the token's own UTF-8 (e.g. a hand-added token with a space).
  static func decodedBytes(of token: String) -> [UInt8] {
    bytes(of: token) ?? Array(token.utf8)
  }
}
