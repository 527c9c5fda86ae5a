// cmark wrapper: top-level split into prose and code blocks with 1-based positions, the Swift tree,
// and the safe HTML (expected strings from the CommonMark 0.30 spec's examples and cmark's safe mode).
import LessonModel
import Testing

@testable import Lessons

@Suite struct MarkdownTests {
  @Test func splitsProseAndCodeWithPositions() {
    let text = """
      # Title

      Some *text*.

      ```{attend} O gato
      :layer: 0
      ```

        ~~~python
        print(1)
        ~~~
      """
    let document = Markdown.parse(text)
    #expect(document.items.count == 4)
    guard case .prose(.heading(1, [.text("Title")]), let html) = document.items[0] else {
      Issue.record("expected a heading, got \(document.items[0])")
      return
    }
    #expect(html == "<h1>Title</h1>\n")
    #expect(
      document.items[1]
        == .prose(
          .paragraph([.text("Some "), .emphasis([.text("text")]), .text(".")]),
          html: "<p>Some <em>text</em>.</p>\n"))
    // The directive fence is on line 5, column 1; the literal starts on the next line.
    #expect(
      document.items[2]
        == .code(
          CodeBlockSyntax(
            info: "{attend} O gato", literal: ":layer: 0\n",
            line: 5, column: 1)))
    // An indented fence: cmark's column points at the fence (3), the literal loses the indent.
    #expect(
      document.items[3]
        == .code(
          CodeBlockSyntax(
            info: "python", literal: "print(1)\n",
            line: 9, column: 3)))
  }

  @Test func listsQuotesAndInlines() {
    let document = Markdown.parse("1. one\n2. **two** `x`\n\n> quoted\n\n---\n\n[a](http://x.y) ![alt](i.png)  \nnext\n")
    let blocks = document.items.compactMap { item -> MarkdownBlock? in
      if case .prose(let block, _) = item { return block } else { return nil }
    }
    #expect(
      blocks == [
        .list(
          start: 1, tight: true,
          items: [
            [.paragraph([.text("one")])],
            [.paragraph([.strong([.text("two")]), .text(" "), .code("x")])],
          ]),
        .blockQuote([.paragraph([.text("quoted")])]),
        .thematicBreak,
        .paragraph([
          .link(destination: "http://x.y", [.text("a")]), .text(" "),
          .image(source: "i.png", alt: "alt"), .lineBreak, .text("next"),
        ]),
      ])
  }

  @Test func safeModeDropsRawHTMLAndScriptLinks() {
    // cmark's safe mode (the default): inline raw HTML becomes a comment, javascript: URLs are
    // emptied; a raw HTML block is left out of the prose altogether.
    let document = Markdown.parse("<script>alert(1)</script>\n\nHi <b>there</b> [x](javascript:alert(1))\n")
    let html = document.items.compactMap { item -> String? in
      if case .prose(_, let html) = item { return html } else { return nil }
    }.joined()
    #expect(html == "<p>Hi <!-- raw HTML omitted -->there<!-- raw HTML omitted --> <a href=\"\">x</a></p>\n")
    #expect(!html.contains("<script"))
  }

  @Test func directiveFencesInsideListsAreReported() {
    let document = Markdown.parse("- item\n\n  ```{note}\n  hi\n  ```\n")
    #expect(document.nestedDirectiveFences == [SourcePoint(line: 3, column: 3)])
  }

  @Test func deepNestingIsCutNotOverflowed() {
    // 20,000 nested quotes: cmark parses them; the Swift tree stops at a fixed depth.
    let document = Markdown.parse(String(repeating: ">", count: 20_000) + " deep\n")
    guard case .prose(var block, let html)? = document.items.first else {
      Issue.record("no prose")
      return
    }
    var depth = 0
    while case .blockQuote(let children) = block, let first = children.first {
      block = first
      depth += 1
    }
    #expect(depth == 33)
    #expect(block == .paragraph([.text("…")]))
    #expect(html.contains("deep"))
  }

  @Test func emptyDocument() {
    #expect(Markdown.parse("").items.isEmpty)
  }
}
