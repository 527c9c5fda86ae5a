// The only file that touches cmark (CommonMark reference implementation, libcmark 0.30): parses a
// lesson's Markdown and returns Swift values — top-level prose as a `MarkdownBlock` tree plus
// cmark's own safe-mode HTML, and every top-level code block with its 1-based line and column.
// Ownership (../shared/NOTES.md): render results are malloc'd and freed here; literals are copied.
import CCmark
import LessonModel

/// A code block at the top level of the lesson (a directive if its info string starts with `{`;
/// only fenced blocks have an info string).
struct CodeBlockSyntax: Equatable {
  /// The info string after the fence (empty for an indented block).
  var info: String
  /// The content lines, with cmark's indentation handling, ending in a newline when non-empty.
  var literal: String
  /// 1-based line of the opening fence and column (in bytes, as cmark counts) where it starts.
  var line: Int
  var column: Int
}

/// What a lesson's Markdown is made of, in order.
struct MarkdownDocument: Equatable {
  enum Item: Equatable {
    case prose(MarkdownBlock, html: String)
    case code(CodeBlockSyntax)
  }
  var items: [Item]
  /// `{…}` fences found inside lists or quotes, where directives are not allowed: (line, column).
  var nestedDirectiveFences: [SourcePoint]
}

struct SourcePoint: Equatable {
  var line: Int
  var column: Int
}

enum Markdown {
  /// Parses CommonMark. Never fails: every input is some CommonMark document.
  static func parse(_ text: String) -> MarkdownDocument {
    var utf8 = Array(text.utf8)
    let document: OpaquePointer? = utf8.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
        cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
      }
    }
    guard let document else { return MarkdownDocument(items: [], nestedDirectiveFences: []) }
    defer { cmark_node_free(document) }

    var converter = Converter()
    var items: [MarkdownDocument.Item] = []
    var child = cmark_node_first_child(document)
    while let node = child {
      if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK {
        items.append(.code(converter.codeBlock(node)))
      } else if let block = converter.block(node) {
        items.append(.prose(block, html: html(of: node)))
      }
      child = cmark_node_next(node)
    }
    return MarkdownDocument(items: items, nestedDirectiveFences: converter.nestedDirectiveFences)
  }

  /// cmark's HTML for one node and its children, in the default safe mode (no raw HTML, no
  /// `javascript:` links).
  private static func html(of node: OpaquePointer) -> String {
    guard let rendered = cmark_render_html(node, CMARK_OPT_DEFAULT) else { return "" }
    defer { free(rendered) }
    return String(cString: rendered)
  }
}

/// Walks cmark nodes into `MarkdownBlock` / `MarkdownInline`.
private struct Converter {
  /// Deeper nesting (a hostile `>>>>>…` line) is cut to "…" so recursion stays shallow; cmark's
  /// own HTML renderer iterates and keeps everything.
  static let maximumDepth = 32
  var nestedDirectiveFences: [SourcePoint] = []

  func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }

  func children(_ node: OpaquePointer) -> [OpaquePointer] {
    var result: [OpaquePointer] = []
    var child = cmark_node_first_child(node)
    while let c = child {
      result.append(c)
      child = cmark_node_next(c)
    }
    return result
  }

  func codeBlock(_ node: OpaquePointer) -> CodeBlockSyntax {
    CodeBlockSyntax(
      info: string(cmark_node_get_fence_info(node)),
      literal: string(cmark_node_get_literal(node)),
      line: Int(cmark_node_get_start_line(node)),
      column: Int(cmark_node_get_start_column(node)))
  }

  /// Converts a block node; nil for nodes the prose tree leaves out (raw HTML, custom blocks).
  mutating func block(_ node: OpaquePointer, depth: Int = 0) -> MarkdownBlock? {
    if depth > Self.maximumDepth { return .paragraph([.text("…")]) }
    let type = cmark_node_get_type(node)
    switch type {
    case CMARK_NODE_PARAGRAPH:
      return .paragraph(inlines(node))
    case CMARK_NODE_HEADING:
      return .heading(Int(cmark_node_get_heading_level(node)), inlines(node))
    case CMARK_NODE_BLOCK_QUOTE:
      return .blockQuote(children(node).compactMap { block($0, depth: depth + 1) })
    case CMARK_NODE_LIST:
      let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
      let items = children(node).map { item in children(item).compactMap { block($0, depth: depth + 1) } }
      return .list(
        start: ordered ? Int(cmark_node_get_list_start(node)) : nil,
        tight: cmark_node_get_list_tight(node) == 1, items: items)
    case CMARK_NODE_CODE_BLOCK:
      let code = codeBlock(node)
      if code.info.hasPrefix("{") {
        nestedDirectiveFences.append(SourcePoint(line: code.line, column: code.column))
      }
      return .codeBlock(language: code.info, text: code.literal)
    case CMARK_NODE_THEMATIC_BREAK:
      return .thematicBreak
    default:
      return nil
    }
  }

  func inlines(_ node: OpaquePointer, depth: Int = 0) -> [MarkdownInline] {
    children(node).compactMap { inline($0, depth: depth) }
  }

  func inline(_ node: OpaquePointer, depth: Int) -> MarkdownInline? {
    if depth > Self.maximumDepth { return .text("…") }
    switch cmark_node_get_type(node) {
    case CMARK_NODE_TEXT:
      // cmark leaves an empty text node where trailing spaces made a hard break.
      let text = string(cmark_node_get_literal(node))
      return text.isEmpty ? nil : .text(text)
    case CMARK_NODE_CODE: return .code(string(cmark_node_get_literal(node)))
    case CMARK_NODE_EMPH: return .emphasis(inlines(node, depth: depth + 1))
    case CMARK_NODE_STRONG: return .strong(inlines(node, depth: depth + 1))
    case CMARK_NODE_LINK:
      return .link(destination: string(cmark_node_get_url(node)), inlines(node, depth: depth + 1))
    case CMARK_NODE_IMAGE:
      return .image(source: string(cmark_node_get_url(node)), alt: inlines(node, depth: depth + 1).plainText)
    case CMARK_NODE_SOFTBREAK: return .softBreak
    case CMARK_NODE_LINEBREAK: return .lineBreak
    default: return nil  // raw inline HTML is dropped, as cmark's safe HTML drops it
    }
  }
}
