// JSON form of outputs and blocks for snapshots (`lessons/.snapshots/NAME.json`): one key naming
// the kind, holding its payload — `{"heatmap": {...}}` — rather than the synthesized `{"_0": …}`.
// Non-finite floats need the encoder's nonConformingFloat strategy (see `Output.snapshotEncoder`).
import Foundation

extension Output: Codable {
  private enum Kind: String, CodingKey {
    case text, explanation, table, tensorPreview, heatmap, tokenStrip, lineChart, bars, keyValues
    case code, note, warning, diagnostic
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: Kind.self)
    guard let kind = container.allKeys.first, container.allKeys.count == 1 else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "an output needs exactly one kind key"))
    }
    switch kind {
    case .text: self = .text(try container.decode(RichText.self, forKey: kind))
    case .explanation: self = .explanation(try container.decode(RichText.self, forKey: kind))
    case .table: self = .table(try container.decode(Table.self, forKey: kind))
    case .tensorPreview: self = .tensorPreview(try container.decode(TensorPreview.self, forKey: kind))
    case .heatmap: self = .heatmap(try container.decode(Heatmap.self, forKey: kind))
    case .tokenStrip: self = .tokenStrip(try container.decode(TokenStrip.self, forKey: kind))
    case .lineChart: self = .lineChart(try container.decode(LineChart.self, forKey: kind))
    case .bars: self = .bars(try container.decode(BarChart.self, forKey: kind))
    case .keyValues: self = .keyValues(try container.decode(KeyValues.self, forKey: kind))
    case .code: self = .code(try container.decode(CodeListing.self, forKey: kind))
    case .note: self = .note(try container.decode(RichText.self, forKey: kind))
    case .warning: self = .warning(try container.decode(RichText.self, forKey: kind))
    case .diagnostic: self = .diagnostic(try container.decode(Diagnostic.self, forKey: kind))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Kind.self)
    switch self {
    case .text(let v): try container.encode(v, forKey: .text)
    case .explanation(let v): try container.encode(v, forKey: .explanation)
    case .table(let v): try container.encode(v, forKey: .table)
    case .tensorPreview(let v): try container.encode(v, forKey: .tensorPreview)
    case .heatmap(let v): try container.encode(v, forKey: .heatmap)
    case .tokenStrip(let v): try container.encode(v, forKey: .tokenStrip)
    case .lineChart(let v): try container.encode(v, forKey: .lineChart)
    case .bars(let v): try container.encode(v, forKey: .bars)
    case .keyValues(let v): try container.encode(v, forKey: .keyValues)
    case .code(let v): try container.encode(v, forKey: .code)
    case .note(let v): try container.encode(v, forKey: .note)
    case .warning(let v): try container.encode(v, forKey: .warning)
    case .diagnostic(let v): try container.encode(v, forKey: .diagnostic)
    }
  }

  /// A JSON encoder that writes the same bytes for the same outputs: sorted keys, pretty printed,
  /// and NaN / ±∞ as strings (JSON has no literal for them).
  public static func snapshotEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  public static func snapshotDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }
}

extension LessonBlock: Codable {
  private enum Kind: String, CodingKey {
    case prose, code, directive
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: Kind.self)
    if let prose = try container.decodeIfPresent(Prose.self, forKey: .prose) {
      self = .prose(prose)
    } else if let code = try container.decodeIfPresent(CodeListing.self, forKey: .code) {
      self = .code(code)
    } else {
      self = .directive(try container.decode(DirectiveResult.self, forKey: .directive))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Kind.self)
    switch self {
    case .prose(let v): try container.encode(v, forKey: .prose)
    case .code(let v): try container.encode(v, forKey: .code)
    case .directive(let v): try container.encode(v, forKey: .directive)
    }
  }
}
