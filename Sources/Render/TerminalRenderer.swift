// Draws an evaluated lesson for a terminal: prose from the Markdown tree (headings, wrapped
// paragraphs, lists, quotes, code), then each directive's outputs. A pure function of the lesson
// and the options; colour only through `TerminalStyle`, so plain output has no escape codes.
import LessonModel

public struct TerminalRenderer {
  public var options: TerminalOptions
  var style: TerminalStyle { TerminalStyle(colour: options.colour) }
  var width: Int { options.width }

  public init(options: TerminalOptions) { self.options = options }

  /// The whole lesson: title, then every block, separated by blank lines.
  public func render(_ lesson: EvaluatedLesson) -> String {
    var text = header(lesson)
    for (index, block) in lesson.blocks.enumerated() {
      text += render(block, timing: lesson.timing(ofBlock: index), language: lesson.language)
    }
    return text
  }

  /// The title, unless the prose opens with its own level-1 heading.
  public func header(_ lesson: EvaluatedLesson) -> String {
    lesson.opensWithTitle ? "" : header(title: lesson.title)
  }

  /// A title drawn like a level-1 heading, followed by a blank line.
  public func header(title: String) -> String {
    heading(1, [StyledRun(text: title, style: { $0 })]) + "\n"
  }

  /// One block, ending with a blank line.
  public func render(_ block: LessonBlock, timing: DirectiveTiming?, language: LessonLanguage) -> String {
    switch block {
    case .prose(let prose):
      return prose.nodes.map { render($0, indent: "") + "\n" }.joined()
    case .code(let code):
      return codeBlock(code.text, language: code.language, indent: "") + "\n"
    case .directive(let result):
      return directive(result, timing: timing, language: language)
    }
  }

  func directive(_ result: DirectiveResult, timing: DirectiveTiming?, language: LessonLanguage) -> String {
    var head = "▶ " + result.invocation
    switch result.status {
    case .succeeded: break
    case .failedAsExpected: head += " (" + RenderStrings.expectedError.text(language) + ")"
    case .failed: head += " (" + RenderStrings.failed.text(language) + ")"
    }
    var text =
      style.foreground(
        TerminalStyle.accent, DisplayWidth.truncate(visibleControls(head), to: width),
        bold: true) + "\n"
    text += result.outputs.map { render($0, language: language) }.joined(separator: "\n")
    if options.showTimings, let timing {
      var parts = [String(format3(timing.seconds)) + " " + RenderStrings.seconds.text(language)]
      parts += timing.measurements.map { "\($0.key): \($0.value)" }
      text += style.dim("⏱ " + parts.joined(separator: " · ")) + "\n"
    }
    return text + "\n"
  }

  // MARK: Prose

  func render(_ block: MarkdownBlock, indent: String) -> String {
    let available = width
    switch block {
    case .heading(let level, let inlines):
      return heading(level, runs(inlines))
    case .paragraph(let inlines):
      return style.wrap(runs(inlines), width: available, firstPrefix: indent, prefix: indent)
        .joined(separator: "\n") + "\n"
    case .blockQuote(let blocks):
      let bar = indent + style.dim("│ ")
      return blocks.map { render($0, indent: bar) }.joined(separator: indent + style.dim("│") + "\n")
    case .list(let start, let tight, let items):
      var text = ""
      for (number, item) in items.enumerated() {
        let marker = start.map { "\($0 + number). " } ?? "• "
        let hanging = indent + String(repeating: " ", count: DisplayWidth.of(marker))
        for (index, child) in item.enumerated() {
          var rendered = render(child, indent: hanging)
          if index == 0 {
            // Put the marker in place of the hanging indent on the item's first line.
            rendered = indent + marker + rendered.dropFirst(hanging.count)
          }
          text += rendered
          if !tight && index < item.count - 1 { text += "\n" }
        }
        if !tight && number < items.count - 1 { text += "\n" }
      }
      return text
    case .codeBlock(let language, let code):
      return codeBlock(code, language: language, indent: indent)
    case .thematicBreak:
      return indent + style.dim(String(repeating: "─", count: max(1, width - DisplayWidth.of(indent)))) + "\n"
    }
  }

  func heading(_ level: Int, _ content: [StyledRun]) -> String {
    let plain = content.map(\.text).joined()
    let title = DisplayWidth.truncate(visibleControls(plain), to: width)
    switch level {
    case 1:
      return style.foreground(TerminalStyle.accent, title, bold: true) + "\n"
        + style.foreground(TerminalStyle.accent, String(repeating: "═", count: DisplayWidth.of(title))) + "\n"
    case 2:
      return style.bold(title) + "\n" + style.dim(String(repeating: "─", count: DisplayWidth.of(title))) + "\n"
    default:
      return style.bold(title) + "\n"
    }
  }

  /// Inline Markdown as styled runs. Plain mode keeps backticks around code so it stays visible.
  func runs(_ inlines: [MarkdownInline], outer: @escaping (String) -> String = { $0 }) -> [StyledRun] {
    var result: [StyledRun] = []
    let style = self.style
    for inline in inlines {
      switch inline {
      case .text(let text): result.append(StyledRun(text: text, style: outer))
      case .code(let code):
        let shown = style.isPlain ? "`\(code)`" : code
        result.append(StyledRun(text: shown, style: { style.foreground(TerminalStyle.codeColour, outer($0)) }))
      case .emphasis(let children): result += runs(children, outer: { style.italic(outer($0)) })
      case .strong(let children): result += runs(children, outer: { style.bold(outer($0)) })
      case .link(let destination, let children):
        result += runs(children, outer: { style.underline(outer($0)) })
        if children.plainText != destination {
          result.append(StyledRun(text: " <\(destination)>", style: { style.dim($0) }))
        }
      case .image(let source, let alt):
        result.append(StyledRun(text: "[image: \(alt.isEmpty ? source : alt)]", style: { style.dim($0) }))
      case .softBreak: result.append(StyledRun(text: " ", style: outer))
      case .lineBreak: result.append(StyledRun(text: "\n", style: outer))
      }
    }
    return result
  }

  /// Rich text (explanations, notes) as styled runs.
  func runs(_ text: RichText) -> [StyledRun] {
    let style = self.style
    return text.spans.map { span in
      switch span.style {
      case .plain: return StyledRun(text: span.text, style: { $0 })
      case .emphasis: return StyledRun(text: span.text, style: { style.italic($0) })
      case .strong: return StyledRun(text: span.text, style: { style.bold($0) })
      case .code:
        let shown = style.isPlain ? "`\(span.text)`" : span.text
        return StyledRun(text: shown, style: { style.foreground(TerminalStyle.codeColour, $0) })
      }
    }
  }

  func codeBlock(_ code: String, language: String, indent: String) -> String {
    var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let gutter = indent + "    "
    let room = max(1, width - DisplayWidth.of(gutter))
    return lines.map {
      gutter
        + style.foreground(
          TerminalStyle.codeColour,
          DisplayWidth.truncate(visibleControls($0), to: room))
    }
    .joined(separator: "\n") + "\n"
  }

  func format3(_ seconds: Double) -> String { ValueFormat.fixed(3).string(for: seconds) }
}

/// Tabs as spaces and other control characters made visible, so text from a corpus cannot move
/// the cursor or inject escape sequences.
func visibleControls(_ text: String) -> String {
  var result = ""
  for scalar in text.unicodeScalars {
    if scalar == "\t" {
      result += "    "
    } else if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
      result += "\\u{" + String(scalar.value, radix: 16) + "}"
    } else {
      result.unicodeScalars.append(scalar)
    }
  }
  return result
}
