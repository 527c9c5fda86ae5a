// The outputs of {generate}: the sampling settings, one candidate table per step, what
// temperature / top-k / top-p did to the first distribution, the text and the KV cache's size.
import Foundation
import LessonModel
import MiniGPT

struct GenerateView {
  let language: LessonLanguage
  let sampling: SamplingSettings
  let seed: UInt64
  let vocabularySize: Int
  let pieces: ([Int]) -> [String]

  private func word(_ phrase: Phrase, _ arguments: String...) -> String { phrase.text(language, arguments) }
  private func say(_ phrase: Phrase, _ arguments: TextSpan...) -> Output {
    .explanation(phrase.richText(language, arguments))
  }
  private func probability(_ p: Float) -> String { ValueFormat.fixed(4).string(for: p) }

  func setup(promptTokens: Int, steps: Int) -> [Output] {
    [
      .keyValues(
        KeyValues(
          title: word(.samplingTitle),
          entries: [
            KeyValue(
              word(.temperature), sampling.temperature == 0 ? word(.greedy) : String(format: "%g", Double(sampling.temperature))),
            KeyValue("top-k", sampling.topK.map(String.init) ?? "—"),
            KeyValue("top-p", sampling.topP.map { String(format: "%g", Double($0)) } ?? "—"),
            KeyValue(word(.seed), String(seed)),
            KeyValue(word(.promptTokens), String(promptTokens)),
            KeyValue(word(.newTokens), String(steps)),
          ]))
    ]
  }

  func stepTable(index: Int, step: GenerateDirective.Step) -> Output {
    let tail = pieces(Array(step.context.suffix(4))).joined()
    var shown = step.top
    if !shown.contains(where: { $0.id == step.chosen.id }) { shown.append(step.chosen) }
    let names = pieces(shown.map { Int($0.id) })
    let rows = shown.enumerated().map { i, c -> [String] in
      [
        names[i], String(c.id), ValueFormat.fixed(3).string(for: c.logit), probability(c.modelProbability),
        probability(c.sampledProbability), c.id == step.chosen.id ? "◀ " + word(.drawn) : "",
      ]
    }
    return .table(
      Table(
        title: step.kept < vocabularySize
          ? word(
            .generateStepTitleKept, String(index + 1), (step.context.count > 4 ? "…" : "") + tail, String(step.kept),
            String(vocabularySize))
          : word(.generateStepTitle, String(index + 1), (step.context.count > 4 ? "…" : "") + tail),
        headers: [word(.token), "id", "logit", word(.modelProbability), word(.sampledProbability), ""],
        rows: rows, alignments: [.left, .right, .right, .right, .right, .left],
        barValues: shown.map { Double($0.sampledProbability) }))
  }

  /// How each stage changes the first step's distribution, with the engine's own sampler.
  func transforms(_ logits: [Float]) -> [Output] {
    let model = Sampler.softmax(logits, temperature: 1)
    let top = Int(Sampler.argmax(logits))
    let name = TextSpan(pieces([top]).first ?? "", style: .code)
    guard sampling.temperature > 0 else {
      return [say(.generateGreedy, name, TextSpan(probability(model[top])))]
    }
    var outputs: [Output] = []
    func after(_ settings: SamplingSettings) -> (kept: Int, p: Float) {
      let d = Sampler(settings: settings, seed: 0).distribution(logits, limit: 1)
      let p =
        Sampler(settings: settings, seed: 0).distribution(logits, limit: logits.count).top
        .first { Int($0.id) == top }?.sampledProbability ?? 0
      return (d.keptCount, p)
    }
    let t = sampling.temperature
    let tempered = after(SamplingSettings(temperature: t))
    if t != 1 {
      outputs.append(
        say(
          t < 1 ? .generateTemperatureSharper : .generateTemperatureFlatter,
          TextSpan(String(format: "%g", Double(t))), name, TextSpan(probability(model[top])),
          TextSpan(probability(tempered.p))))
    }
    var previous = tempered
    if let k = sampling.topK {
      let cut = after(SamplingSettings(temperature: t, topK: k))
      outputs.append(
        say(
          .generateTopK, TextSpan(String(cut.kept)), TextSpan(String(logits.count)), name,
          TextSpan(probability(previous.p)), TextSpan(probability(cut.p))))
      previous = cut
    }
    if let p = sampling.topP {
      let cut = after(sampling)
      outputs.append(
        say(
          .generateTopP, TextSpan(String(format: "%g", Double(p))), TextSpan(String(cut.kept)),
          name, TextSpan(probability(previous.p)), TextSpan(probability(cut.p))))
    }
    if sampling.topK == nil && sampling.topP == nil {
      outputs.append(say(.generateNoFilter, TextSpan(String(logits.count))))
    }
    return outputs
  }

  func result(prompt: [Int], record: [GenerateDirective.Step], text: String) -> [Output] {
    let promptPieces = zip(prompt, pieces(prompt)).map { TokenPiece(text: $0.1, id: $0.0) }
    let generated = record.map { step in
      TokenPiece(
        text: pieces([Int(step.chosen.id)]).first ?? "", id: Int(step.chosen.id),
        value: step.chosen.sampledProbability, highlighted: true)
    }
    var outputs: [Output] = [
      .tokenStrip(TokenStrip(title: word(.generatedTitle), pieces: promptPieces + generated, format: .fixed(2))),
      say(.generateResult, TextSpan(String(record.count)), TextSpan(text, style: .code)),
    ]
    // Greedy decoding draws nothing: every token has probability 1 in its distribution.
    if sampling.temperature > 0 {
      let unlikely = record.enumerated().min { $0.element.chosen.sampledProbability < $1.element.chosen.sampledProbability }!
      outputs.append(
        say(
          .generateLeastLikely, TextSpan(String(unlikely.offset + 1)),
          TextSpan(pieces([Int(unlikely.element.chosen.id)]).first ?? "", style: .code),
          TextSpan(probability(unlikely.element.chosen.sampledProbability))))
    }
    return outputs
  }

  func cache(_ cache: KVCache, config: GPTConfiguration) -> [Output] {
    let perPosition = config.layerCount * 2 * config.embeddingSize * 4
    return [
      .keyValues(
        KeyValues(
          title: word(.kvCacheTitle),
          entries: [
            KeyValue(word(.positionsCached), String(cache.length)),
            KeyValue(word(.bytesPerPosition), "\(config.layerCount) × 2 × \(config.embeddingSize) × 4 = \(perPosition)"),
            KeyValue(word(.bytesFilled), Self.bytes(cache.filledBytes)),
            KeyValue(word(.bytesCapacity), Self.bytes(cache.capacityBytes)),
          ])),
      say(
        .generateCache, TextSpan(String(cache.length)), TextSpan(String(config.layerCount)),
        TextSpan(String(config.embeddingSize)), TextSpan(Self.bytes(cache.filledBytes)),
        TextSpan(String(config.contextLength)), TextSpan(Self.bytes(cache.capacityBytes))),
    ]
  }

  /// "49152 bytes (48.0 KiB)".
  static func bytes(_ count: Int) -> String {
    let units = ["KiB", "MiB", "GiB"]
    var value = Double(count) / 1024, unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return "\(count) bytes (" + ValueFormat.fixed(1).string(for: value) + " \(units[unit]))"
  }
}
