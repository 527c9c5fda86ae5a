// A small strict JSON reader (RFC 8259) over bytes, for SafeTensors headers and config.json.
// Why not JSONSerialization: it silently keeps the last of two duplicate keys ({"a":1,"a":2} gives
// a = 2 on Swift 6.3/Linux), its nesting limit (512 here) is the Foundation version's choice, and it
// builds a whole tree even for a 100 MB header. This one reports duplicates, stops at `maxDepth`,
// and lets a schema-aware caller read values in place without building them.
// Internal to the engine: callers see EngineError, never JSONSyntaxError.

/// One parsed JSON value. Numbers keep their source text so integers are read exactly.
indirect enum JSONValue: Equatable, Sendable {
  case object([(key: String, value: JSONValue)])
  case array([JSONValue])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    case (.array(let x), .array(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    default: return false
    }
  }

  /// The value under `key` when this is an object.
  subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// A short description of the kind of value, for error messages.
  var kind: String {
    switch self {
    case .object: return "an object"
    case .array: return "an array"
    case .string(let text): return text.count <= 40 ? "the string \"\(text)\"" : "a string"
    case .number(let text): return "the number \(text)"
    case .bool(let b): return "\(b)"
    case .null: return "null"
    }
  }
}

/// Why a JSON text was rejected; `offset` is the byte position in the text.
struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
  let offset: Int
  let message: String
  var description: String { "JSON error at byte \(offset): \(message)" }
}

/// A cursor over UTF-8 JSON bytes.
struct JSONReader {
  let bytes: UnsafeRawBufferPointer
  private(set) var position = 0
  let maxDepth: Int

  init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  /// Parses one complete document: a single value surrounded only by whitespace.
  static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws -> JSONValue {
    var reader = JSONReader(bytes, maxDepth: maxDepth)
    let value = try reader.readValue(depth: 0)
    try reader.expectEnd()
    return value
  }

  func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipWhitespace() {
    while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
  }

  /// Consumes `byte` after optional whitespace, or throws.
  mutating func expect(_ byte: UInt8) throws {
    skipWhitespace()
    guard current == byte else {
      throw fail("expected '\(Character(Unicode.Scalar(byte)))', found \(describeCurrent())")
    }
    position += 1
  }

  /// Consumes `byte` if it comes next (after whitespace).
  mutating func consume(_ byte: UInt8) -> Bool {
    skipWhitespace()
    if current == byte { position += 1; return true }
    return false
  }

  mutating func expectEnd() throws {
    skipWhitespace()
    guard position == bytes.count else { throw fail("unexpected \(describeCurrent()) after the value") }
  }

  mutating func peekIsString() -> Bool { skipWhitespace(); return current == UInt8(ascii: "\"") }
  mutating func peekIsObject() -> Bool { skipWhitespace(); return current == UInt8(ascii: "{") }

  private func describeCurrent() -> String {
    guard let c = current else { return "end of input" }
    if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
    return "byte 0x\(String(c, radix: 16))"
  }

  /// Iterates the members of an object, calling `body` with each key (the reader then sits
  /// before the member's value, which `body` must consume). Duplicate keys are an error.
  mutating func readObject(_ body: (inout JSONReader, String) throws -> Void) throws {
    try expect(UInt8(ascii: "{"))
    if consume(UInt8(ascii: "}")) { return }
    var seen = Set<String>()
    repeat {
      skipWhitespace()
      let keyStart = position
      let key = try readString()
      guard seen.insert(key).inserted else {
        throw JSONSyntaxError(offset: keyStart, message: "duplicate key \"\(key)\"")
      }
      try expect(UInt8(ascii: ":"))
      try body(&self, key)
    } while consume(UInt8(ascii: ","))
    try expect(UInt8(ascii: "}"))
  }

  /// Iterates the elements of an array; `body` must consume each element.
  mutating func readArray(_ body: (inout JSONReader) throws -> Void) throws {
    try expect(UInt8(ascii: "["))
    if consume(UInt8(ascii: "]")) { return }
    repeat { try body(&self) } while consume(UInt8(ascii: ","))
    try expect(UInt8(ascii: "]"))
  }

  /// Reads a value into a tree; refuses nesting deeper than `maxDepth`.
  mutating func readValue(depth: Int) throws -> JSONValue {
    guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
    skipWhitespace()
    switch current {
    case UInt8(ascii: "{"):
      var members: [(key: String, value: JSONValue)] = []
      try readObject { reader, key in members.append((key, try reader.readValue(depth: depth + 1))) }
      return .object(members)
    case UInt8(ascii: "["):
      var elements: [JSONValue] = []
      try readArray { reader in elements.append(try reader.readValue(depth: depth + 1)) }
      return .array(elements)
    case UInt8(ascii: "\""): return .string(try readString())
    case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try readLiteral("null"); return .null
    case let c? where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): return .number(try readNumberText())
    default: throw fail("expected a value, found \(describeCurrent())")
    }
  }

  private mutating func readLiteral(_ word: String) throws {
    let expected = Array(word.utf8)
    let n = expected.count
    guard position + n <= bytes.count, (0..<n).allSatisfy({ bytes[position + $0] == expected[$0] }) else {
      throw fail("invalid literal")
    }
    position += n
  }

  /// Validates the RFC 8259 number grammar and returns its text.
  private mutating func readNumberText() throws -> String {
    let start = position
    func digits() -> Int {
      let s = position
      while let c = current, c >= 0x30 && c <= 0x39 { position += 1 }
      return position - s
    }
    if current == UInt8(ascii: "-") { position += 1 }
    if current == UInt8(ascii: "0") { position += 1 } else if digits() == 0 { throw fail("invalid number") }
    if current == UInt8(ascii: ".") {
      position += 1
      guard digits() > 0 else { throw fail("invalid number: no digits after '.'") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw fail("invalid number: no digits in the exponent") }
    }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
  }

  /// Reads a string, decoding escapes; rejects control characters and invalid UTF-8.
  mutating func readString() throws -> String {
    try expect(UInt8(ascii: "\""))
    var utf8: [UInt8] = []
    while true {
      guard let c = current else { throw fail("unterminated string") }
      position += 1
      switch c {
      case UInt8(ascii: "\""):
        guard let s = String(validating: utf8, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return s
      case UInt8(ascii: "\\"):
        guard let e = current else { throw fail("unterminated escape") }
        position += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"): utf8.append(contentsOf: try readUnicodeEscape())
        default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
      case 0..<0x20: throw fail("control character in string")
      default: utf8.append(c)
      }
    }
  }

  private mutating func readHex4() throws -> UInt32 {
    guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[position]
      let d: UInt8
      switch c {
      case 0x30...0x39: d = c - 0x30
      case 0x41...0x46: d = c - 0x41 + 10
      case 0x61...0x66: d = c - 0x61 + 10
      default: throw fail("invalid hex digit in \\u escape")
      }
      v = v << 4 | UInt32(d)
      position += 1
    }
    return v
  }

  /// `\uXXXX`, joining a UTF-16 surrogate pair written as two escapes.
  private mutating func readUnicodeEscape() throws -> [UInt8] {
    var code = try readHex4()
    if (0xD800..<0xDC00).contains(code) {
      guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
      else { throw fail("unpaired surrogate in \\u escape") }
      position += 2
      let low = try readHex4()
      guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in \\u escape") }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00..<0xE000).contains(code) {
      throw fail("unpaired surrogate in \\u escape")
    }
    return Array(String(Character(Unicode.Scalar(code)!)).utf8)
  }

  /// Skips one value of any kind without building it (still depth-limited and validated).
  mutating func skipValue(depth: Int) throws {
    guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
    skipWhitespace()
    switch current {
    case UInt8(ascii: "{"): try readObject { reader, _ in try reader.skipValue(depth: depth + 1) }
    case UInt8(ascii: "["): try readArray { reader in try reader.skipValue(depth: depth + 1) }
    default: _ = try readValue(depth: depth)
    }
  }
}

/// Writes JSON string literals (the writer side: SafeTensors headers and config.json).
enum JSONText {
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
