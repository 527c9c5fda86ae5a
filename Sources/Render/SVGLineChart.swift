// An inline SVG line chart (loss against step): axes with "nice" 1-2-5 ticks (Heckbert, "Nice
// numbers for graph labels", Graphics Gems 1990), one polyline per series, a legend, and <title>
// elements so hovering shows values. Coordinates are written with one decimal: deterministic bytes.
import Foundation
import LessonModel

struct SVGLineChart {
  var chart: LineChart

  // Plot area inside a 640×300 view box.
  let left = 64.0, right = 624.0, top = 24.0, bottom = 250.0

  func render() -> String {
    let points = chart.series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    var svg = "<figure class=\"chart\"><figcaption>\(HTML.escape(chart.title))</figcaption>\n"
    svg +=
      "<svg viewBox=\"0 0 640 300\" role=\"img\" aria-label=\"\(HTML.escape(chart.title))\">"
      + "<title>\(HTML.escape(chart.title))</title>\n"
    guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
      let minY = points.map(\.y).min(), let maxY = points.map(\.y).max()
    else {
      return svg + "</svg></figure>\n"
    }
    let xTicks = Self.ticks(minX, maxX)
    let yTicks = Self.ticks(minY, maxY)
    let xRange = xTicks.first!...xTicks.last!
    let yRange = yTicks.first!...yTicks.last!
    func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / span(xRange) * (right - left) }
    func py(_ y: Double) -> Double { bottom - (y - yRange.lowerBound) / span(yRange) * (bottom - top) }

    // Grid and tick labels.
    svg += "<g class=\"grid\">"
    for y in yTicks {
      svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(y)))\" x2=\"\(f(right))\" y2=\"\(f(py(y)))\"/>"
    }
    for x in xTicks {
      svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top))\" x2=\"\(f(px(x)))\" y2=\"\(f(bottom))\"/>"
    }
    svg += "</g>\n<g class=\"axis\">"
    svg += "<line x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(right))\" y2=\"\(f(bottom))\"/>"
    svg += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(bottom))\"/>"
    let yDigits = Self.decimals(yTicks)
    for y in yTicks {
      svg +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">"
        + HTML.escape(ValueFormat.fixed(yDigits).string(for: y)) + "</text>"
    }
    let xDigits = Self.decimals(xTicks)
    for x in xTicks {
      svg +=
        "<text x=\"\(f(px(x)))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">"
        + HTML.escape(ValueFormat.fixed(xDigits).string(for: x)) + "</text>"
    }
    svg +=
      "<text class=\"label\" x=\"\(f((left + right) / 2))\" y=\"292\" text-anchor=\"middle\">"
      + HTML.escape(chart.xLabel) + "</text>"
    svg +=
      "<text class=\"label\" x=\"16\" y=\"\(f((top + bottom) / 2))\" text-anchor=\"middle\" "
      + "transform=\"rotate(-90 16 \(f((top + bottom) / 2)))\">" + HTML.escape(chart.yLabel) + "</text>"
    svg += "</g>\n"

    // Series, then the legend.
    for (index, series) in chart.series.enumerated() {
      let colour = ColourMap.series[index % ColourMap.series.count].hex
      let finite = series.points.filter { $0.x.isFinite && $0.y.isFinite }
      let coordinates = finite.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
      svg +=
        "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" "
        + "points=\"\(coordinates)\"><title>\(HTML.escape(series.name))</title></polyline>\n"
      if finite.count <= 60 {
        svg += "<g fill=\"\(colour)\">"
        for point in finite {
          svg +=
            "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"3\"><title>"
            + HTML.escape(
              "\(series.name): \(ValueFormat.fixed(xDigits).string(for: point.x)), "
                + ValueFormat.fixed(4).string(for: point.y)) + "</title></circle>"
        }
        svg += "</g>\n"
      }
    }
    if chart.series.count > 1 {
      svg += "<g class=\"legend\">"
      for (index, series) in chart.series.enumerated() {
        let y = top + 6 + Double(index) * 18
        let colour = ColourMap.series[index % ColourMap.series.count].hex
        svg +=
          "<line x1=\"\(f(right - 150))\" y1=\"\(f(y))\" x2=\"\(f(right - 130))\" y2=\"\(f(y))\" "
          + "stroke=\"\(colour)\" stroke-width=\"3\"/>"
          + "<text x=\"\(f(right - 124))\" y=\"\(f(y + 4))\">\(HTML.escape(series.name))</text>"
      }
      svg += "</g>\n"
    }
    return svg + "</svg></figure>\n"
  }

  private func span(_ range: ClosedRange<Double>) -> Double {
    range.upperBound > range.lowerBound ? range.upperBound - range.lowerBound : 1
  }

  /// One decimal, the precision of the drawing.
  private func f(_ value: Double) -> String { ValueFormat.fixed(1).string(for: value) }

  /// About five ticks on a 1-2-5 step covering low...high.
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    var (low, high) = (low, high)
    if high - low < 1e-12 * max(1, abs(low)) {
      low -= 1
      high += 1
    }
    let rough = (high - low) / 5
    let magnitude = pow(10, floor(log10(rough)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
    let first = floor(low / step)
    let last = ceil(high / step)
    return stride(from: first, through: last, by: 1).map { $0 * step }
  }

  /// Decimals needed to tell the ticks apart.
  static func decimals(_ ticks: [Double]) -> Int {
    guard ticks.count > 1 else { return 0 }
    let step = ticks[1] - ticks[0]
    return max(0, min(6, Int(-floor(log10(step) + 1e-9))))
  }
}
