// The terminal drawing of each kind of output: one exhaustive switch, so a new `Output` case does
// not compile until it is drawn here. Every line fits in `options.width` columns.
import LessonModel

extension TerminalRenderer {
  public func render(_ output: Output, language: LessonLanguage) -> String {
    switch output {
    case .text(let text):
      return style.wrap(runs(text), width: width).joined(separator: "\n") + "\n"
    case .explanation(let text):
      let marker = style.foreground(TerminalStyle.accent, "» ")
      return style.wrap(runs(text), width: width, firstPrefix: marker, prefix: "  ")
        .joined(separator: "\n") + "\n"
    case .note(let text):
      return callout(text, label: RenderStrings.note.text(language), colour: TerminalStyle.noteColour)
    case .warning(let text):
      return callout(text, label: RenderStrings.warning.text(language), colour: TerminalStyle.warningColour)
    case .table(let table):
      return render(table)
    case .tensorPreview(let tensor):
      return render(tensor, language: language)
    case .heatmap(let heatmap):
      return render(heatmap, language: language)
    case .tokenStrip(let strip):
      return render(strip)
    case .lineChart(let chart):
      return render(chart)
    case .bars(let chart):
      return render(chart)
    case .keyValues(let keyValues):
      return render(keyValues)
    case .code(let code):
      return codeBlock(code.text, language: code.language, indent: "")
    case .diagnostic(let diagnostic):
      let colour = diagnostic.severity == .error ? TerminalStyle.errorColour : TerminalStyle.warningColour
      let head = "\(diagnostic.location.path):\(diagnostic.location.line):\(diagnostic.location.column): "
      let runs = [
        StyledRun(text: head, style: { $0 }),
        StyledRun(text: diagnostic.severity.rawValue + ":", style: { [style] in style.foreground(colour, $0, bold: true) }),
        StyledRun(text: " " + diagnostic.message, style: { $0 }),
      ]
      return style.wrap(runs, width: width, prefix: "    ").joined(separator: "\n") + "\n"
    }
  }

  func title(_ text: String?) -> String {
    guard let text, !text.isEmpty else { return "" }
    return style.bold(DisplayWidth.truncate(visibleControls(text), to: width)) + "\n"
  }

  func callout(_ text: RichText, label: String, colour: RGB) -> String {
    let bar = style.foreground(colour, "┃ ")
    let labelRun = StyledRun(text: label + ": ", style: { [style] in style.foreground(colour, $0, bold: true) })
    return style.wrap([labelRun] + runs(text), width: width, firstPrefix: bar, prefix: bar)
      .joined(separator: "\n") + "\n"
  }

  func render(_ keyValues: KeyValues) -> String {
    let keys = keyValues.entries.map { visibleControls($0.key) }
    let keyWidth = min(keys.map(DisplayWidth.of).max() ?? 0, width / 2)
    var text = title(keyValues.title)
    for (key, entry) in zip(keys, keyValues.entries) {
      let shownKey = DisplayWidth.pad(DisplayWidth.truncate(key, to: keyWidth), to: keyWidth)
      let value = DisplayWidth.truncate(visibleControls(entry.value), to: max(1, width - keyWidth - 4))
      text += "  " + style.dim(shownKey) + "  " + value + "\n"
    }
    return text
  }

  /// Columns sized to their widest cell (display width); when too wide for the terminal, the
  /// widest columns give up space first and their cells end in "…".
  func render(_ table: Table) -> String {
    let columns = table.columnCount
    guard columns > 0 else { return title(table.title) }
    let cells = ([table.headers] + table.rows).map { row in
      (0..<columns).map { $0 < row.count ? visibleControls(row[$0]) : "" }
    }
    var widths = (0..<columns).map { column in cells.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
    let hasBars = table.barValues != nil
    let barWidth = hasBars ? min(20, max(6, width / 5)) : 0
    let budget = width - 2 * columns - (hasBars ? barWidth + 2 : 0)
    while widths.reduce(0, +) > budget, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
      widths[widest] > 3
    {
      widths[widest] -= 1
    }
    func line(_ row: [String], header: Bool) -> String {
      var parts: [String] = []
      for column in 0..<columns {
        let alignment: DisplayWidth.Alignment
        switch table.alignment(of: column) {
        case .left: alignment = .left
        case .right: alignment = .right
        case .center: alignment = .center
        }
        let cell = DisplayWidth.pad(DisplayWidth.truncate(row[column], to: widths[column]), to: widths[column], alignment)
        parts.append(header ? style.bold(cell) : cell)
      }
      return "  " + parts.joined(separator: "  ")
    }
    var text = title(table.title)
    text += trimmed(line(cells[0], header: true)) + "\n"
    text += "  " + widths.map { style.dim(String(repeating: "─", count: $0)) }.joined(separator: "  ") + "\n"
    let largest = table.barValues?.map(abs).max() ?? 0
    for (index, row) in cells.dropFirst().enumerated() {
      var rendered = line(row, header: false)
      if let bars = table.barValues, index < bars.count {
        rendered +=
          "  "
          + style.foreground(
            TerminalStyle.barColour,
            bar(abs(bars[index]), of: largest, width: barWidth))
      }
      text += trimmed(rendered) + "\n"
    }
    return text
  }

  /// A horizontal bar of `value / largest` of `width` columns, in eighths of a block.
  func bar(_ value: Double, of largest: Double, width: Int) -> String {
    guard largest > 0, value.isFinite, value > 0 else { return "" }
    let eighths = Int((min(value / largest, 1) * Double(width * 8)).rounded())
    let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
  }

  /// Without trailing spaces (golden files and copy-paste stay clean).
  func trimmed(_ line: String) -> String {
    var line = Substring(line)
    while line.last == " " { line = line.dropLast() }
    return String(line)
  }
}
