// A small Swift tree of CommonMark prose, made from cmark's tree by Lessons/Markdown.swift, so that
// the terminal renderer can draw headings, lists and emphasis without touching C pointers.
// Node kinds follow the CommonMark spec (https://spec.commonmark.org/0.30/); raw HTML is dropped.

public indirect enum MarkdownBlock: Codable, Equatable, Sendable {
  case heading(Int, [MarkdownInline])
  case paragraph([MarkdownInline])
  case blockQuote([MarkdownBlock])
  /// `start` is the first number of an ordered list, nil for a bullet list; each item is blocks.
  case list(start: Int?, tight: Bool, items: [[MarkdownBlock]])
  case codeBlock(language: String, text: String)
  case thematicBreak
}

public indirect enum MarkdownInline: Codable, Equatable, Sendable {
  case text(String)
  case emphasis([MarkdownInline])
  case strong([MarkdownInline])
  case code(String)
  case link(destination: String, [MarkdownInline])
  case image(source: String, alt: String)
  case softBreak
  case lineBreak
}

extension Array where Element == MarkdownInline {
  /// The text without markup ("O **gato**" → "O gato"), for titles and alt text.
  public var plainText: String {
    map { inline -> String in
      switch inline {
      case .text(let s), .code(let s): return s
      case .emphasis(let c), .strong(let c), .link(_, let c): return c.plainText
      case .image(_, let alt): return alt
      case .softBreak: return " "
      case .lineBreak: return "\n"
      }
    }.joined()
  }
}
