// Draws an evaluated lesson as one self-contained HTML page (inline CSS, SVG and a little JS;
// nothing from the network) and a course index. Prose is cmark's safe HTML; every other string
// goes through `HTML.escape`. Byte-identical for the same lesson: no dates, no timings by default.
import LessonModel

public struct IndexEntry: Equatable, Sendable {
  public var title: String
  /// The page's file name, relative to the index.
  public var file: String
  public var summary: String?

  public init(title: String, file: String, summary: String? = nil) {
    self.title = title
    self.file = file
    self.summary = summary
  }
}

public struct HTMLRenderer {
  /// Show each directive's time (off by default so pages are deterministic).
  public var showTimings: Bool

  public init(showTimings: Bool = false) { self.showTimings = showTimings }

  public func render(_ lesson: EvaluatedLesson) -> String {
    let language = lesson.language
    var body = ""
    if !lesson.opensWithTitle { body += "<h1>\(HTML.escape(lesson.title))</h1>\n" }
    for (index, block) in lesson.blocks.enumerated() {
      body += render(block, timing: showTimings ? lesson.timing(ofBlock: index) : nil, language: language)
    }
    let hasTensors = lesson.blocks.contains { block in
      guard case .directive(let result) = block else { return false }
      return result.outputs.contains { if case .tensorPreview = $0 { return true } else { return false } }
    }
    var toolbar = ""
    if hasTensors {
      toolbar =
        "<nav class=\"toolbar\"><button type=\"button\" data-details=\"open\">"
        + HTML.escape(RenderStrings.expandAll.text(language)) + "</button> "
        + "<button type=\"button\" data-details=\"close\">"
        + HTML.escape(RenderStrings.collapseAll.text(language)) + "</button></nav>\n"
    }
    return page(
      title: lesson.title, language: language,
      body: toolbar + "<main class=\"lesson\">\n" + body + "</main>\n"
        + footer(language, source: lesson.sourcePath))
  }

  /// The course's contents: one link per lesson, with its summary.
  public func index(title: String? = nil, entries: [IndexEntry], language: LessonLanguage) -> String {
    let heading = title ?? RenderStrings.courseTitle.text(language)
    var body = "<main class=\"lesson index\">\n<h1>\(HTML.escape(heading))</h1>\n"
    body += "<h2>\(HTML.escape(RenderStrings.contents.text(language)))</h2>\n<ol class=\"contents\">\n"
    for entry in entries {
      body += "<li><a href=\"\(HTML.escape(entry.file))\">\(HTML.escape(entry.title))</a>"
      if let summary = entry.summary, !summary.isEmpty {
        body += "<p>\(HTML.escape(summary))</p>"
      }
      body += "</li>\n"
    }
    body += "</ol>\n</main>\n" + footer(language, source: nil)
    return page(title: heading, language: language, body: body)
  }

  func page(title: String, language: LessonLanguage, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="\(HTML.escape(language.rawValue))">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="minigpt-lessons">
    <title>\(HTML.escape(title))</title>
    <style>
    \(HTMLPage.css)</style>
    </head>
    <body>
    \(body)<script>
    \(HTMLPage.script)</script>
    </body>
    </html>

    """
  }

  func footer(_ language: LessonLanguage, source: String?) -> String {
    var text = RenderStrings.generatedBy.text(language)
    // Only the file name: the page must not change with the folder it was rendered from.
    if let source { text += " · " + (source.split(separator: "/").last.map(String.init) ?? source) }
    return "<footer>\(HTML.escape(text))</footer>\n"
  }

  func render(_ block: LessonBlock, timing: DirectiveTiming?, language: LessonLanguage) -> String {
    switch block {
    case .prose(let prose):
      return prose.html  // cmark's safe-mode HTML: raw HTML and unsafe links already removed
    case .code(let code):
      return codeListing(code)
    case .directive(let result):
      let status: String
      switch result.status {
      case .succeeded: status = ""
      case .failedAsExpected: status = " expected-error"
      case .failed: status = " failed"
      }
      var html =
        "<section class=\"directive\(status)\" id=\"line-\(result.line)\" "
        + "data-directive=\"\(HTML.escape(result.name))\">\n"
      html += "<div class=\"directive-head\"><code>\(HTML.escape(result.invocation))</code>"
      if result.status == .failedAsExpected {
        html += " <span class=\"badge\">\(HTML.escape(RenderStrings.expectedError.text(language)))</span>"
      } else if result.status == .failed {
        html += " <span class=\"badge\">\(HTML.escape(RenderStrings.failed.text(language)))</span>"
      }
      html += "</div>\n"
      for output in result.outputs { html += render(output, language: language) }
      if let timing {
        var parts = [ValueFormat.fixed(3).string(for: timing.seconds) + " " + RenderStrings.seconds.text(language)]
        parts += timing.measurements.map { "\($0.key): \($0.value)" }
        html += "<p class=\"timing\">\(HTML.escape(parts.joined(separator: " · ")))</p>\n"
      }
      return html + "</section>\n"
    }
  }

  func codeListing(_ code: CodeListing) -> String {
    let language = code.language.isEmpty ? "" : " class=\"language-\(HTML.escape(code.language))\""
    return "<pre><code\(language)>\(HTML.escape(code.text))</code></pre>\n"
  }

  func richText(_ text: RichText) -> String {
    text.spans.map { span in
      let escaped = HTML.escape(span.text)
      switch span.style {
      case .plain: return escaped
      case .emphasis: return "<em>\(escaped)</em>"
      case .strong: return "<strong>\(escaped)</strong>"
      case .code: return "<code>\(escaped)</code>"
      }
    }.joined()
  }
}
