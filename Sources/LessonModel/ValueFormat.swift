// How a number is written in outputs. Both renderers format through `string(for:)` so the terminal
// and the HTML page show the same digits; "-0.00" is written "0.00" so runs that differ only in the
// sign of a rounded zero still compare equal.
import Foundation

public enum ValueFormat: Equatable, Sendable {
  /// `digits` after the decimal point: 0.4132.
  case fixed(Int)
  /// Multiplied by 100 with `digits` decimals and a % sign: 41.3%.
  case percent(Int)
  /// Scientific notation with `digits` decimals: 4.13e-02.
  case scientific(Int)
  /// Rounded to an integer.
  case integer

  public func string(for value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "∞" : "-∞" }
    let text: String
    switch self {
    case .fixed(let digits): text = String(format: "%.*f", Int32(digits), value)
    case .percent(let digits): text = String(format: "%.*f%%", Int32(digits), value * 100)
    case .scientific(let digits): text = String(format: "%.*e", Int32(digits), value)
    case .integer: text = String(format: "%.0f", value)
    }
    return Self.withoutNegativeZero(text)
  }

  public func string(for value: Float) -> String { string(for: Double(value)) }

  private static func withoutNegativeZero(_ text: String) -> String {
    guard text.hasPrefix("-") else { return text }
    let digits = text.dropFirst()
    let isZero = digits.allSatisfy { $0 == "0" || $0 == "." || $0 == "%" }
    return isZero ? String(digits) : text
  }
}

// Encoded as a short string ("fixed:4", "percent:1", "scientific:2", "integer") so snapshots read well.
extension ValueFormat: Codable {
  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    let digits = parts.count == 2 ? Int(parts[1]) : nil
    switch (parts[0], digits) {
    case ("fixed", let d?): self = .fixed(d)
    case ("percent", let d?): self = .percent(d)
    case ("scientific", let d?): self = .scientific(d)
    case ("integer", nil): self = .integer
    default:
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "unknown value format '\(text)'"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .fixed(let d): try container.encode("fixed:\(d)")
    case .percent(let d): try container.encode("percent:\(d)")
    case .scientific(let d): try container.encode("scientific:\(d)")
    case .integer: try container.encode("integer")
    }
  }
}
