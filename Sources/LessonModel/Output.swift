// What a directive returns: plain data that both renderers (terminal, HTML) draw, with no engine
// types inside. Each renderer switches over `Output` exhaustively, so a new kind of output does not
// compile until every renderer draws it (STYLE.md §4; the knitr/quarto "execute then render" split).

/// One piece of a directive's result.
public enum Output: Equatable, Sendable {
  /// A paragraph of ordinary text.
  case text(RichText)
  /// Commentary computed from the numbers ("'subiu' puts 0.41 of its attention on 'gato'").
  case explanation(RichText)
  case table(Table)
  case tensorPreview(TensorPreview)
  case heatmap(Heatmap)
  case tokenStrip(TokenStrip)
  case lineChart(LineChart)
  case bars(BarChart)
  case keyValues(KeyValues)
  case code(CodeListing)
  case note(RichText)
  case warning(RichText)
  case diagnostic(Diagnostic)
}

/// Horizontal alignment of a table column.
public enum ColumnAlignment: String, Codable, Sendable {
  case left, right, center
}

/// A table: headers, rows of already formatted cells, and optionally a bar per row drawn after the
/// last column (`barValues[i]` belongs to row `i`; bars are scaled by the largest magnitude).
public struct Table: Codable, Equatable, Sendable {
  public var title: String?
  public var headers: [String]
  public var rows: [[String]]
  public var alignments: [ColumnAlignment]
  public var barValues: [Double]?

  public init(
    title: String? = nil, headers: [String], rows: [[String]],
    alignments: [ColumnAlignment]? = nil, barValues: [Double]? = nil
  ) {
    self.title = title
    self.headers = headers
    self.rows = rows
    self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
    self.barValues = barValues
  }

  /// The number of columns: the widest of the header and every row.
  public var columnCount: Int { rows.reduce(headers.count) { max($0, $1.count) } }

  /// The alignment of column `index` (left when not given).
  public func alignment(of index: Int) -> ColumnAlignment {
    index < alignments.count ? alignments[index] : .left
  }
}

/// The first rows and columns of a tensor. `hiddenRows` / `hiddenColumns` count what was cut off.
public struct TensorPreview: Codable, Equatable, Sendable {
  public var name: String
  public var shape: [Int]
  public var values: [[Float]]
  public var rowLabels: [String]?
  public var hiddenRows: Int
  public var hiddenColumns: Int
  public var format: ValueFormat
  /// Shown folded (HTML `<details>` closed, terminal: shape and statistics only).
  public var collapsed: Bool

  public init(
    name: String, shape: [Int], values: [[Float]], rowLabels: [String]? = nil,
    hiddenRows: Int = 0, hiddenColumns: Int = 0, format: ValueFormat = .fixed(4),
    collapsed: Bool = false
  ) {
    self.name = name
    self.shape = shape
    self.values = values
    self.rowLabels = rowLabels
    self.hiddenRows = hiddenRows
    self.hiddenColumns = hiddenColumns
    self.format = format
    self.collapsed = collapsed
  }

  /// "(2, 768)", the way PyTorch prints a shape.
  public var shapeDescription: String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }
}

/// How colours are assigned to values.
public enum ColourScale: String, Codable, Sendable {
  /// Low → high (attention weights, probabilities).
  case sequential
  /// Negative ↔ zero ↔ positive around 0 (similarities, raw scores).
  case diverging
}

/// A matrix drawn as coloured cells with row and column labels. `masked[r][c]` cells (the causal
/// mask) are drawn as empty, whatever their value.
public struct Heatmap: Codable, Equatable, Sendable {
  public var title: String
  public var rowLabels: [String]
  public var columnLabels: [String]
  public var values: [[Float]]
  public var masked: [[Bool]]
  public var format: ValueFormat
  public var scale: ColourScale
  /// Fixed colour range; nil means the range of the unmasked values.
  public var range: ClosedRange<Float>?

  public init(
    title: String, rowLabels: [String], columnLabels: [String], values: [[Float]],
    masked: [[Bool]] = [], format: ValueFormat = .fixed(2), scale: ColourScale = .sequential,
    range: ClosedRange<Float>? = nil
  ) {
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.masked = masked
    self.format = format
    self.scale = scale
    self.range = range
  }

  public func isMasked(row: Int, column: Int) -> Bool {
    row < masked.count && column < masked[row].count && masked[row][column]
  }

  /// The colour range: `range`, or the smallest and largest finite unmasked value (symmetric
  /// around 0 for a diverging scale).
  public var colourRange: ClosedRange<Float> {
    if let range { return range }
    var low = Float.infinity
    var high = -Float.infinity
    for (r, row) in values.enumerated() {
      for (c, value) in row.enumerated() where value.isFinite && !isMasked(row: r, column: c) {
        low = min(low, value)
        high = max(high, value)
      }
    }
    if low > high { return 0...1 }
    if scale == .diverging {
      let bound = max(abs(low), abs(high), Float.leastNormalMagnitude)
      return -bound...bound
    }
    return low == high ? low...(low + 1) : low...high
  }
}

/// A token of a token strip: its text, its id, an optional value that colours it, and a highlight.
public struct TokenPiece: Codable, Equatable, Sendable {
  public var text: String
  public var id: Int?
  public var value: Float?
  public var highlighted: Bool

  public init(text: String, id: Int? = nil, value: Float? = nil, highlighted: Bool = false) {
    self.text = text
    self.id = id
    self.value = value
    self.highlighted = highlighted
  }
}

/// Text cut into tokens, each shown as a coloured chip (coloured by value when values are given).
public struct TokenStrip: Codable, Equatable, Sendable {
  public var title: String?
  public var pieces: [TokenPiece]
  public var format: ValueFormat

  public init(title: String? = nil, pieces: [TokenPiece], format: ValueFormat = .fixed(2)) {
    self.title = title
    self.pieces = pieces
    self.format = format
  }

  public var hasValues: Bool { pieces.contains { $0.value != nil } }
}

public struct ChartPoint: Codable, Equatable, Sendable {
  public var x: Double
  public var y: Double
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }
}

public struct ChartSeries: Codable, Equatable, Sendable {
  public var name: String
  public var points: [ChartPoint]
  public init(name: String, points: [ChartPoint]) {
    self.name = name
    self.points = points
  }
}

/// Curves (loss against step): a sparkline in the terminal, an SVG chart in HTML.
public struct LineChart: Codable, Equatable, Sendable {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [ChartSeries]

  public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }
}

public struct BarItem: Codable, Equatable, Sendable {
  public var label: String
  public var value: Double
  public init(label: String, value: Double) {
    self.label = label
    self.value = value
  }
}

/// Horizontal bars (probabilities of the next token, gradient norms).
public struct BarChart: Codable, Equatable, Sendable {
  public var title: String?
  public var items: [BarItem]
  public var format: ValueFormat

  public init(title: String? = nil, items: [BarItem], format: ValueFormat = .fixed(3)) {
    self.title = title
    self.items = items
    self.format = format
  }
}

public struct KeyValue: Codable, Equatable, Sendable {
  public var key: String
  public var value: String
  public init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// Labelled values (a configuration, a summary).
public struct KeyValues: Codable, Equatable, Sendable {
  public var title: String?
  public var entries: [KeyValue]
  public init(title: String? = nil, entries: [KeyValue]) {
    self.title = title
    self.entries = entries
  }
}

/// Source text shown verbatim (an ordinary fenced block, or code a directive shows).
public struct CodeListing: Codable, Equatable, Sendable {
  public var language: String
  public var text: String
  public init(language: String = "", text: String) {
    self.language = language
    self.text = text
  }
}
