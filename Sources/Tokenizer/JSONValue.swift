// A small strict JSON reader and writer for tokenizer files (RFC 8259).
// Why not JSONSerialization: on Linux it blurs booleans and numbers (NSNumber), drops key order
// and duplicate keys silently, and its errors do not give a line. This reader keeps object keys
// in order, rejects duplicates, limits nesting depth (no stack overflow on "[[[[…"), and reports
// the line of every error.

/// A parsed JSON value; objects keep their keys in file order.
enum JSONValue: Equatable {
  case null
  case bool(Bool)
  case number(Double, integer: Int?)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x, _), .number(let y, _)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
    default: return false
    }
  }

  /// The value of `key` in an object.
  subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  /// What kind of value this is, for error messages ("expected an integer, found a string").
  var kind: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number(_, let integer): return integer == nil ? "a number" : "an integer"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// Parses JSON from UTF-8 bytes; errors name `path` and the line.
struct JSONReader {
  static let maximumDepth = 64
  let bytes: [UInt8]
  let path: String
  var i = 0
  var line = 1

  static func parse(_ bytes: [UInt8], path: String) throws -> JSONValue {
    var reader = JSONReader(bytes: bytes, path: path)
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.i == bytes.count else { throw reader.error("unexpected text after the JSON value") }
    return value
  }

  private func error(_ problem: String) -> TokenizerError {
    .invalidJSON(path: path, line: line, problem: problem)
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x0A: line += 1
      case 0x20, 0x09, 0x0D: break
      default: return
      }
      i += 1
    }
  }

  private mutating func value(depth: Int) throws -> JSONValue {
    guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    guard i < bytes.count else { throw error("unexpected end of file") }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var members: [(String, JSONValue)] = []
      var keys = Set<String>()
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of file") }
        guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let key = try string()
        guard keys.insert(key).inserted else { throw error("the key \(quoted(key)) appears twice in one object") }
        skipSpace()
        try expect(":")
        skipSpace()
        members.append((key, try value(depth: depth + 1)))
        skipSpace()
        if try endOrComma("}") { return .object(members) }
      }
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONValue] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        skipSpace()
        items.append(try value(depth: depth + 1))
        skipSpace()
        if try endOrComma("]") { return .array(items) }
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    default:
      return try number()
    }
  }

  private mutating func expect(_ c: Unicode.Scalar) throws {
    guard i < bytes.count, bytes[i] == UInt8(ascii: c) else { throw error("expected \"\(c)\"") }
    i += 1
  }

  private mutating func endOrComma(_ close: Unicode.Scalar) throws -> Bool {
    guard i < bytes.count else { throw error("unexpected end of file, expected \",\" or \"\(close)\"") }
    if bytes[i] == UInt8(ascii: close) {
      i += 1
      return true
    }
    guard bytes[i] == UInt8(ascii: ",") else { throw error("expected \",\" or \"\(close)\"") }
    i += 1
    return false
  }

  private mutating func literal(_ word: String) throws {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw error("invalid literal") }
    i += w.count
  }

  private mutating func number() throws -> JSONValue {
    let start = i
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
    var isInteger = true
    let digitsStart = i
    while i < bytes.count {
      let c = bytes[i]
      if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
      } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
        || c == UInt8(ascii: "-")
      {
        isInteger = false
      } else {
        break
      }
      i += 1
    }
    guard i > digitsStart, i - start <= 64 else { throw error("invalid value") }
    let text = String(decoding: bytes[start..<i], as: UTF8.self)
    guard let double = Double(text), double.isFinite else { throw error("invalid number \(text)") }
    return .number(double, integer: isInteger ? Int(text) : nil)
  }

  private mutating func string() throws -> String {
    i += 1  // opening quote
    var out: [UInt8] = []
    while true {
      guard i < bytes.count else { throw error("unterminated string") }
      let c = bytes[i]
      i += 1
      switch c {
      case UInt8(ascii: "\""):
        guard let s = String(validating: out, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
        return s
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { throw error("unterminated string") }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var value = try hex4()
          if (0xD800..<0xDC00).contains(value) {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
              throw error("unpaired surrogate in \\u escape")
            }
            i += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate in \\u escape") }
          out.append(contentsOf: Array(String(scalar).utf8))
        default:
          throw error("invalid escape \\\(Unicode.Scalar(e))")
        }
      case 0x00..<0x20:
        throw error("control character in a string (write it as an escape)")
      default:
        out.append(c)
      }
    }
  }

  private mutating func hex4() throws -> UInt32 {
    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
    else { throw error("invalid \\u escape") }
    i += 4
    return v
  }
}

/// A JSON string literal, escaped as serde_json (HF) writes it: `"` `\` and control characters
/// escaped, everything else (non-ASCII included) as UTF-8.
func jsonString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
