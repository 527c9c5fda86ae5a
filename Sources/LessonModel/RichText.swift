// Text with light emphasis (emphasis, strong, code) for explanations and notes. Built from spans,
// never by parsing text that came from a corpus or a model, so a token like "*" stays a token.
// `RichText(markup:)` parses the tiny `*em*`, `**strong**`, `` `code` `` subset for authored text.

public struct TextSpan: Codable, Equatable, Sendable {
  public enum Style: String, Codable, Sendable {
    case plain, emphasis, strong, code
  }
  public var text: String
  public var style: Style

  public init(_ text: String, style: Style = .plain) {
    self.text = text
    self.style = style
  }
}

public struct RichText: Codable, Equatable, Sendable, ExpressibleByStringLiteral {
  public var spans: [TextSpan]

  public init(_ spans: [TextSpan]) { self.spans = spans }

  /// Plain text, no markup interpreted.
  public init(plain text: String) { self.spans = [TextSpan(text)] }

  public init(stringLiteral value: String) { self.init(markup: value) }

  /// Parses `**strong**`, `*emphasis*` and `` `code` `` (no nesting). An unmatched marker is
  /// kept as a literal character.
  public init(markup: String) {
    var spans: [TextSpan] = []
    var plain = ""
    var rest = Substring(markup)
    func flush() {
      if !plain.isEmpty { spans.append(TextSpan(plain)) }
      plain = ""
    }
    while let first = rest.first {
      let marker: String
      let style: TextSpan.Style
      if rest.hasPrefix("**") {
        (marker, style) = ("**", .strong)
      } else if first == "*" {
        (marker, style) = ("*", .emphasis)
      } else if first == "`" {
        (marker, style) = ("`", .code)
      } else {
        plain.append(first)
        rest = rest.dropFirst()
        continue
      }
      let inner = rest.dropFirst(marker.count)
      if let end = inner.range(of: marker), end.lowerBound != inner.startIndex {
        flush()
        spans.append(TextSpan(String(inner[..<end.lowerBound]), style: style))
        rest = inner[end.upperBound...]
      } else {
        plain += marker
        rest = inner
      }
    }
    flush()
    self.spans = spans
  }

  /// The text without styling.
  public var plainText: String { spans.map(\.text).joined() }

  public static func + (lhs: RichText, rhs: RichText) -> RichText {
    RichText(lhs.spans + rhs.spans)
  }
}
