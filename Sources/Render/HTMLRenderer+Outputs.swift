// The HTML drawing of each kind of output: one exhaustive switch, so a new `Output` case does not
// compile until it is drawn here. Heatmaps are table cells with hover values (title attributes),
// tensor dumps are <details>, curves are inline SVG.
import LessonModel

extension HTMLRenderer {
  public func render(_ output: Output, language: LessonLanguage) -> String {
    switch output {
    case .text(let text):
      return "<p>\(richText(text))</p>\n"
    case .explanation(let text):
      return "<p class=\"explanation\">\(richText(text))</p>\n"
    case .note(let text):
      return callout(text, kind: "note", label: RenderStrings.note.text(language))
    case .warning(let text):
      return callout(text, kind: "warning", label: RenderStrings.warning.text(language))
    case .table(let table):
      return render(table)
    case .tensorPreview(let tensor):
      return render(tensor, language: language)
    case .heatmap(let heatmap):
      return render(heatmap, language: language)
    case .tokenStrip(let strip):
      return render(strip)
    case .lineChart(let chart):
      return SVGLineChart(chart: chart).render()
    case .bars(let chart):
      return render(chart)
    case .keyValues(let keyValues):
      var html = "<div class=\"kv\">"
      if let title = keyValues.title { html += "<p class=\"caption\">\(HTML.escape(title))</p>" }
      html += "<dl>"
      for entry in keyValues.entries {
        html += "<dt>\(HTML.escape(entry.key))</dt><dd>\(HTML.escape(entry.value))</dd>"
      }
      return html + "</dl></div>\n"
    case .code(let code):
      return codeListing(code)
    case .diagnostic(let diagnostic):
      return "<pre class=\"diagnostic \(HTML.escape(diagnostic.severity.rawValue))\">"
        + HTML.escape(diagnostic.summary) + "</pre>\n"
    }
  }

  func callout(_ text: RichText, kind: String, label: String) -> String {
    "<aside class=\"callout \(kind)\"><strong class=\"label\">\(HTML.escape(label))</strong> "
      + richText(text) + "</aside>\n"
  }

  func render(_ table: Table) -> String {
    let columns = table.columnCount
    var html = "<div class=\"scroll\"><table class=\"data\">"
    if let title = table.title { html += "<caption>\(HTML.escape(title))</caption>" }
    func cellClass(_ column: Int) -> String {
      switch table.alignment(of: column) {
      case .left: return ""
      case .right: return " class=\"r\""
      case .center: return " class=\"c\""
      }
    }
    html += "<thead><tr>"
    for column in 0..<columns {
      let header = column < table.headers.count ? table.headers[column] : ""
      html += "<th\(cellClass(column))>\(HTML.escape(header))</th>"
    }
    if table.barValues != nil { html += "<th></th>" }
    html += "</tr></thead>\n<tbody>\n"
    let largest = table.barValues?.map(abs).filter(\.isFinite).max() ?? 0
    for (index, row) in table.rows.enumerated() {
      html += "<tr>"
      for column in 0..<columns {
        html += "<td\(cellClass(column))>\(HTML.escape(column < row.count ? row[column] : ""))</td>"
      }
      if let bars = table.barValues {
        let value = index < bars.count ? abs(bars[index]) : 0
        html += "<td class=\"bar\"><span style=\"width:\(percent(value, of: largest))\"></span></td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div>\n"
  }

  func render(_ tensor: TensorPreview, language: LessonLanguage) -> String {
    var html =
      "<details class=\"tensor\"\(tensor.collapsed ? "" : " open")><summary><code>"
      + HTML.escape(tensor.name) + "</code> <span class=\"shape\">"
      + HTML.escape(tensor.shapeDescription) + "</span></summary>\n"
    html += "<div class=\"scroll\"><table class=\"tensor\"><tbody>\n"
    for (index, row) in tensor.values.enumerated() {
      html += "<tr>"
      if let labels = tensor.rowLabels {
        html += "<th>\(HTML.escape(index < labels.count ? visibleWhitespace(labels[index]) : ""))</th>"
      }
      html += row.map { "<td>\(HTML.escape(tensor.format.string(for: $0)))</td>" }.joined()
      if tensor.hiddenColumns > 0 {
        html +=
          "<td class=\"more\" title=\"\(tensor.hiddenColumns) \(HTML.escape(RenderStrings.moreColumns.text(language)))\">…</td>"
      }
      html += "</tr>\n"
    }
    if tensor.hiddenRows > 0 {
      let span =
        (tensor.values.map(\.count).max() ?? 0) + (tensor.rowLabels == nil ? 0 : 1)
        + (tensor.hiddenColumns > 0 ? 1 : 0)
      html +=
        "<tr><td class=\"more\" colspan=\"\(max(1, span))\">⋮ \(tensor.hiddenRows) "
        + HTML.escape(RenderStrings.moreRows.text(language)) + "</td></tr>\n"
    }
    return html + "</tbody></table></div>\n</details>\n"
  }

  func render(_ heatmap: Heatmap, language: LessonLanguage) -> String {
    let range = heatmap.colourRange
    let columnCount = heatmap.values.map(\.count).max() ?? 0
    func label(_ labels: [String], _ index: Int) -> String {
      index < labels.count ? visibleWhitespace(labels[index]) : String(index)
    }
    var html = "<figure class=\"heatmap\"><figcaption>\(HTML.escape(heatmap.title))</figcaption>\n"
    html += "<div class=\"scroll\"><table class=\"heatmap\"><thead><tr><th></th>"
    for column in 0..<columnCount {
      html += "<th class=\"col\" data-c=\"\(column)\">\(HTML.escape(label(heatmap.columnLabels, column)))</th>"
    }
    html += "</tr></thead>\n<tbody>\n"
    for (r, row) in heatmap.values.enumerated() {
      let rowLabel = label(heatmap.rowLabels, r)
      html += "<tr><th class=\"row\" data-r=\"\(r)\">\(HTML.escape(rowLabel))</th>"
      for c in 0..<columnCount {
        let hover = rowLabel + " → " + label(heatmap.columnLabels, c) + ": "
        guard c < row.count else {
          html += "<td></td>"
          continue
        }
        if heatmap.isMasked(row: r, column: c) {
          html +=
            "<td class=\"masked\" data-r=\"\(r)\" data-c=\"\(c)\" title=\""
            + HTML.escape(hover + RenderStrings.masked.text(language)) + "\"></td>"
        } else {
          let value = heatmap.format.string(for: row[c])
          let colour = ColourMap.colour(for: row[c], scale: heatmap.scale, range: range)
          html +=
            "<td data-r=\"\(r)\" data-c=\"\(c)\" style=\"background:\(colour.hex);color:\(colour.textColour.hex)\" "
            + "title=\"\(HTML.escape(hover + value))\">\(HTML.escape(value))</td>"
        }
      }
      html += "</tr>\n"
    }
    html += "</tbody></table></div>\n"
    let gradient = ColourMap.stops(heatmap.scale).map(\.hex).joined(separator: ",")
    html +=
      "<div class=\"legend\"><span>\(HTML.escape(heatmap.format.string(for: range.lowerBound)))</span>"
      + "<span class=\"ramp\" style=\"background:linear-gradient(to right,\(gradient))\"></span>"
      + "<span>\(HTML.escape(heatmap.format.string(for: range.upperBound)))</span></div>\n"
    return html + "</figure>\n"
  }

  func render(_ strip: TokenStrip) -> String {
    let values = strip.pieces.compactMap(\.value)
    let range: ClosedRange<Float> =
      values.isEmpty
      ? 0...1
      : (values.min()! == values.max()! ? values.min()!...(values.min()! + 1) : values.min()!...values.max()!)
    var html = "<figure class=\"tokens\">"
    if let title = strip.title { html += "<figcaption>\(HTML.escape(title))</figcaption>" }
    html += "<div class=\"strip\">"
    for (index, piece) in strip.pieces.enumerated() {
      let colour =
        piece.value.map { ColourMap.colour(for: $0, scale: .sequential, range: range) }
        ?? ColourMap.token(index)
      let label = piece.id.map(String.init) ?? piece.value.map { strip.format.string(for: $0) } ?? ""
      var hover = "“" + piece.text + "”"
      if let id = piece.id { hover += " id \(id)" }
      if let value = piece.value { hover += " " + strip.format.string(for: value) }
      html +=
        "<span class=\"token\(piece.highlighted ? " highlight" : "")\" "
        + "style=\"background:\(colour.hex);color:\(colour.textColour.hex)\" title=\"\(HTML.escape(hover))\">"
        + "<span class=\"piece\">\(HTML.escape(visibleWhitespace(piece.text)))</span>"
        + "<span class=\"id\">\(HTML.escape(label))</span></span>"
    }
    return html + "</div></figure>\n"
  }

  func render(_ chart: BarChart) -> String {
    let largest = chart.items.map { abs($0.value) }.filter(\.isFinite).max() ?? 0
    var html = "<figure class=\"bars\">"
    if let title = chart.title { html += "<figcaption>\(HTML.escape(title))</figcaption>" }
    html += "<table class=\"bars\"><tbody>\n"
    for item in chart.items {
      html +=
        "<tr><th>\(HTML.escape(visibleWhitespace(item.label)))</th>"
        + "<td class=\"num\">\(HTML.escape(chart.format.string(for: item.value)))</td>"
        + "<td class=\"bar\"><span style=\"width:\(percent(abs(item.value), of: largest))\"></span></td></tr>\n"
    }
    return html + "</tbody></table></figure>\n"
  }

  /// "41.3%" of the available width (0% for a zero or non-finite largest value).
  func percent(_ value: Double, of largest: Double) -> String {
    guard largest > 0, value.isFinite else { return "0%" }
    return ValueFormat.fixed(1).string(for: min(value / largest, 1) * 100) + "%"
  }
}
