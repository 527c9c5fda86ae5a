// The parameter table {model} shows: every tensor of the engine's ParameterLayout by its Hugging
// Face name, with shape, count and share of the total; blocks after the first are summarised (their
// shapes repeat). Counts come from the layout the engine allocates, not from a formula.
import LessonModel
import MiniGPT

struct ParameterTable {
  let layout: ParameterLayout
  let allLayers: Bool

  private var total: Int { layout.totalCount }

  /// The block number of a name like "h.3.attn.c_attn.weight".
  static func layer(of name: String) -> Int? {
    guard name.hasPrefix("h.") else { return nil }
    return Int(name.dropFirst(2).prefix { $0.isNumber })
  }

  private func share(_ count: Int) -> String { ValueFormat.percent(1).string(for: Double(count) / Double(max(total, 1))) }

  private func shape(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// Parameters per block (every block has the same shapes).
  var perBlock: Int { layout.entries.filter { Self.layer(of: $0.name) == 0 }.reduce(0) { $0 + $1.count } }

  func table(_ session: Session) -> Table {
    var rows: [[String]] = []
    var bars: [Double] = []
    var summarised: Set<Int> = []
    for entry in layout.entries {
      if let layer = Self.layer(of: entry.name), layer > 0, !allLayers {
        guard summarised.insert(layer).inserted else { continue }
        let count = layout.entries.filter { Self.layer(of: $0.name) == layer }.reduce(0) { $0 + $1.count }
        rows.append(["h.\(layer).*", session.text(.modelSameAsFirstBlock), ValueFormat.grouped(count), share(count)])
        bars.append(Double(count))
        continue
      }
      rows.append([entry.name, shape(entry.shape), ValueFormat.grouped(entry.count), share(entry.count)])
      bars.append(Double(entry.count))
    }
    rows.append([session.text(.modelTotal), "", ValueFormat.grouped(total), share(total)])
    bars.append(0)
    return Table(
      title: session.text(.modelParametersTitle),
      headers: [
        session.text(.modelParameterName), session.text(.modelShape), session.text(.modelCount),
        session.text(.modelShare),
      ],
      rows: rows, alignments: [.left, .left, .right, .right], barValues: bars)
  }

  func explanation(_ config: GPTConfiguration, _ session: Session) -> RichText {
    let wte = layout["wte.weight"]!.count, wpe = layout["wpe.weight"]!.count
    let attention = layout.entries.filter { Self.layer(of: $0.name) == 0 && $0.name.contains(".attn.") }
      .reduce(0) { $0 + $1.count }
    let mlp = layout.entries.filter { Self.layer(of: $0.name) == 0 && $0.name.contains(".mlp.") }
      .reduce(0) { $0 + $1.count }
    return session.richText(
      .modelExplanation,
      [
        TextSpan(ValueFormat.grouped(total)),
        TextSpan(String(config.vocabSize)), TextSpan(String(config.embeddingSize)), TextSpan(share(wte)),
        TextSpan(share(wpe)),
        TextSpan(String(config.layerCount)), TextSpan(ValueFormat.grouped(perBlock)),
        TextSpan(share(perBlock * config.layerCount)),
        TextSpan(ValueFormat.grouped(attention)), TextSpan(ValueFormat.grouped(mlp)),
      ])
  }
}
