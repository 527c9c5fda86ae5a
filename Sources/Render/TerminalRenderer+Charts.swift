// Terminal drawings of the numeric outputs: tensor dumps as aligned matrices, heatmaps as coloured
// cells with token labels, token strips as chips with ids, curves as sparklines, and bars.
import LessonModel

extension TerminalRenderer {
  func render(_ tensor: TensorPreview, language: LessonLanguage) -> String {
    var text = style.bold(visibleControls(tensor.name)) + " " + style.dim(tensor.shapeDescription)
    if tensor.collapsed { text += style.dim(" (" + RenderStrings.folded.text(language) + ")") }
    text += "\n"
    let rows = tensor.collapsed ? Array(tensor.values.prefix(2)) : tensor.values
    let cells = rows.map { $0.map { tensor.format.string(for: $0) } }
    let cellWidth = cells.flatMap { $0 }.map(DisplayWidth.of).max() ?? 1
    let labels = (tensor.rowLabels ?? []).map { DisplayWidth.truncate(visibleWhitespace($0), to: 12) }
    let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
    let columnCount = rows.map(\.count).max() ?? 0
    let room = width - 2 - (labelWidth > 0 ? labelWidth + 2 : 0) - 2
    let fit = max(1, room / (cellWidth + 1))
    let shownColumns = columnCount <= fit ? columnCount : max(1, fit - 1)
    let cutColumns = shownColumns < columnCount || tensor.hiddenColumns > 0
    for (index, row) in cells.enumerated() {
      var line = "  "
      if labelWidth > 0 {
        line += style.dim(DisplayWidth.pad(index < labels.count ? labels[index] : "", to: labelWidth)) + "  "
      }
      line += row.prefix(shownColumns).map { DisplayWidth.pad($0, to: cellWidth, .right) }.joined(separator: " ")
      if cutColumns { line += " …" }
      text += line + "\n"
    }
    let hiddenRows = tensor.hiddenRows + (tensor.values.count - rows.count)
    if hiddenRows > 0 {
      text += style.dim("  ⋮ \(hiddenRows) " + RenderStrings.moreRows.text(language)) + "\n"
    }
    return text
  }

  func render(_ heatmap: Heatmap, language: LessonLanguage) -> String {
    let range = heatmap.colourRange
    let rowLabels = heatmap.rowLabels.map { DisplayWidth.truncate(visibleWhitespace($0), to: 14) }
    let columnLabels = heatmap.columnLabels.map(visibleWhitespace)
    let rowLabelWidth = rowLabels.map(DisplayWidth.of).max() ?? 0
    let columnCount = heatmap.values.map(\.count).max() ?? 0
    let formatted = heatmap.values.map { $0.map { heatmap.format.string(for: $0) } }
    let valueWidth = max(4, formatted.flatMap { $0 }.map(DisplayWidth.of).max() ?? 4)
    let room = width - rowLabelWidth - 3
    // Widen cells for longer labels when everything still fits.
    let labelWidth = min(columnLabels.map(DisplayWidth.of).max() ?? 0, 8)
    let cellWidth =
      (max(valueWidth, labelWidth) + 1) * columnCount <= room
      ? max(valueWidth, labelWidth) + 1 : valueWidth + 1
    let fit = max(1, room / cellWidth)
    let shown = columnCount <= fit ? columnCount : max(1, fit - 1)

    var text = title(heatmap.title)
    var header = String(repeating: " ", count: rowLabelWidth + 2)
    for column in 0..<shown {
      let label = column < columnLabels.count ? columnLabels[column] : ""
      // Right-aligned over the values, which end at the same column.
      header += " " + style.dim(DisplayWidth.pad(DisplayWidth.truncate(label, to: cellWidth - 1), to: cellWidth - 1, .right))
    }
    if shown < columnCount { header += " " + style.dim("+\(columnCount - shown)") }
    text += trimmed(header) + "\n"
    for (r, row) in formatted.enumerated() {
      var line = "  " + DisplayWidth.pad(r < rowLabels.count ? rowLabels[r] : "", to: rowLabelWidth)
      for c in 0..<shown {
        guard c < row.count else {
          line += String(repeating: " ", count: cellWidth)
          continue
        }
        if heatmap.isMasked(row: r, column: c) {
          line += style.dim(DisplayWidth.pad("·", to: cellWidth, .right))
        } else if style.isPlain {
          line += DisplayWidth.pad(row[c], to: cellWidth, .right)
        } else {
          let colour = ColourMap.colour(for: heatmap.values[r][c], scale: heatmap.scale, range: range)
          line += " " + style.cell(colour, DisplayWidth.pad(row[c], to: cellWidth - 1, .right))
        }
      }
      if shown < columnCount { line += " …" }
      text += trimmed(line) + "\n"
    }
    let low = heatmap.format.string(for: range.lowerBound)
    let high = heatmap.format.string(for: range.upperBound)
    if style.isPlain {
      text += "  " + low + " … " + high
      if heatmap.masked.contains(where: { $0.contains(true) }) { text += "  (· " + RenderStrings.masked.text(language) + ")" }
      text += "\n"
    } else {
      let ramp = (0..<16).map { step -> String in
        let value = range.lowerBound + (range.upperBound - range.lowerBound) * Float(step) / 15
        return style.cell(ColourMap.colour(for: value, scale: heatmap.scale, range: range), " ")
      }.joined()
      text += "  " + style.dim(low) + " " + ramp + " " + style.dim(high) + "\n"
    }
    return text
  }

  func render(_ strip: TokenStrip) -> String {
    let values = strip.pieces.compactMap(\.value)
    let range: ClosedRange<Float> =
      values.isEmpty
      ? 0...1
      : (values.min()! == values.max()! ? values.min()!...(values.min()! + 1) : values.min()!...values.max()!)
    var text = title(strip.title)
    var top = "  "
    var bottom = "  "
    var used = 2
    func flush() {
      text += trimmed(top) + "\n" + trimmed(bottom) + "\n"
      top = "  "
      bottom = "  "
      used = 2
    }
    for (index, piece) in strip.pieces.enumerated() {
      var shown = DisplayWidth.truncate(visibleWhitespace(piece.text), to: max(1, width / 3))
      if style.isPlain { shown = piece.highlighted ? "«" + shown + "»" : "[" + shown + "]" }
      let label = piece.id.map(String.init) ?? piece.value.map { strip.format.string(for: $0) } ?? ""
      let chipWidth = max(DisplayWidth.of(shown), DisplayWidth.of(label))
      if used > 2 && used + chipWidth + 1 > width { flush() }
      let padded = DisplayWidth.pad(shown, to: chipWidth)
      if style.isPlain {
        top += padded
      } else {
        let colour =
          piece.value.map { ColourMap.colour(for: $0, scale: .sequential, range: range) }
          ?? ColourMap.token(index)
        top += style.cell(colour, padded, bold: piece.highlighted)
      }
      bottom += style.dim(DisplayWidth.pad(label, to: chipWidth))
      top += " "
      bottom += " "
      used += chipWidth + 1
    }
    if used > 2 { flush() }
    return text
  }

  /// One sparkline per series on a shared x axis, so a validation curve measured every 50 steps
  /// lines up with the training curve measured every step.
  func render(_ chart: LineChart) -> String {
    let finite = chart.series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    var text = title(chart.title)
    guard let low = finite.map(\.y).min(), let high = finite.map(\.y).max(),
      let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max()
    else { return text }
    let format = ValueFormat.fixed(3)
    let names = chart.series.map { DisplayWidth.truncate(visibleControls($0.name), to: 16) }
    let nameWidth = names.map(DisplayWidth.of).max() ?? 0
    let summaries = chart.series.map { series -> String in
      guard let first = series.points.first?.y, let last = series.points.last?.y else { return "" }
      return "  \(format.string(for: first)) → \(format.string(for: last))"
    }
    let room = max(4, width - nameWidth - 4 - (summaries.map(DisplayWidth.of).max() ?? 0))
    let columns = min(room, Set(finite.map(\.x)).count)
    let levels = Array("▁▂▃▄▅▆▇█")
    for (index, series) in chart.series.enumerated() {
      let ys = resample(series.points, columns: columns, from: minX, to: maxX)
      let spark = String(
        ys.map { y -> Character in
          guard let y else { return " " }
          let t = high > low ? (y - low) / (high - low) : 0.5
          return levels[min(7, max(0, Int((t * 7).rounded())))]
        })
      let colour = ColourMap.series[index % ColourMap.series.count]
      text +=
        trimmed(
          "  " + DisplayWidth.pad(names[index], to: nameWidth) + "  "
            + style.foreground(colour, spark) + style.dim(summaries[index])) + "\n"
    }
    let xText = "\(visibleControls(chart.xLabel)) \(compact(minX)) … \(compact(maxX))"
    let yText = "\(visibleControls(chart.yLabel)) \(format.string(for: low)) … \(format.string(for: high))"
    text += style.dim(DisplayWidth.truncate("  " + xText + " · " + yText, to: width)) + "\n"
    return text
  }

  /// The mean y of the points falling in each of `columns` equal slices of minX…maxX (nil where
  /// a slice has none).
  func resample(_ points: [ChartPoint], columns: Int, from minX: Double, to maxX: Double) -> [Double?] {
    guard columns > 0 else { return [] }
    var sums = [Double](repeating: 0, count: columns)
    var counts = [Int](repeating: 0, count: columns)
    for point in points where point.x.isFinite && point.y.isFinite {
      let t = maxX > minX ? (point.x - minX) / (maxX - minX) : 0
      let column = min(columns - 1, max(0, Int((t * Double(columns - 1)).rounded())))
      sums[column] += point.y
      counts[column] += 1
    }
    return (0..<columns).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
  }

  func render(_ chart: BarChart) -> String {
    let labels = chart.items.map { DisplayWidth.truncate(visibleWhitespace($0.label), to: max(4, width / 3)) }
    let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
    let values = chart.items.map { chart.format.string(for: $0.value) }
    let valueWidth = values.map(DisplayWidth.of).max() ?? 0
    let barWidth = max(4, width - labelWidth - valueWidth - 6)
    let largest = chart.items.map { abs($0.value) }.filter(\.isFinite).max() ?? 0
    var text = title(chart.title)
    for (index, item) in chart.items.enumerated() {
      let bar = self.bar(abs(item.value), of: largest, width: barWidth)
      text +=
        trimmed(
          "  " + DisplayWidth.pad(labels[index], to: labelWidth) + "  "
            + DisplayWidth.pad(values[index], to: valueWidth, .right) + " "
            + style.foreground(TerminalStyle.barColour, bar)) + "\n"
    }
    return text
  }

  /// Integers without decimals (steps), other values with up to 3.
  func compact(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : ValueFormat.fixed(3).string(for: value)
  }
}
