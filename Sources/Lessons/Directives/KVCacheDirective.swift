// {kv-cache}: the same generation with and without the key/value cache — the tokens (which must
// be the same), the work each new token costs (multiply-adds counted from the layer shapes, as in
// Kaplan et al. 2020 §2.1), the cache's size in bytes, and the measured tokens/s of both
// (measurements: shown, never compared).
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{kv-cache} O gato
//     :steps: 4
//     ```
import Foundation
import LessonModel
import MiniGPT

public struct KVCacheDirective: Directive {
  public static let name = "kv-cache"
  public static let summary = "Generate with and without the KV cache: same tokens, work per token, bytes."
  public static let argument = ArgumentRule.optional("the prompt (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("steps", default: 16, in: 1...1024, help: "tokens to generate"),
    .float("temperature", default: 0, in: 0...100, help: "0 = greedy"),
    .int("top-k", in: 1...1_000_000, help: "keep only the k most likely tokens"),
    .float("top-p", in: 0...1, help: "nucleus sampling threshold"),
    .int("seed", in: 0...Int.max, help: "seed of the draws (default: the lesson's seed)"),
  ]
  public static let results = [
    ResultSpec("identical", "1 when both ways generate the same tokens"),
    ResultSpec("tokens"), ResultSpec("cache_bytes", "cache bytes at the end"),
    ResultSpec("bytes_per_position"), ResultSpec("work_ratio", "multiply-adds without / with the cache"),
    ResultSpec("rows_without", "rows pushed through the network without the cache"),
    ResultSpec("rows_with", "rows pushed through the network with the cache"),
  ]

  let prompt: String?
  let steps: Int
  let sampling: SamplingSettings
  let seed: UInt64?

  public init(_ invocation: Invocation) throws {
    prompt = invocation.arguments.isEmpty ? nil : invocation.arguments
    steps = invocation.int("steps")!
    if let p = invocation.float("top-p"), p <= 0 {
      throw ValidationProblem(option: "top-p", "top-p must be above 0 (1 keeps every token)")
    }
    sampling = SamplingSettings(
      temperature: Float(invocation.float("temperature")!), topK: invocation.int("top-k"),
      topP: invocation.float("top-p").map(Float.init))
    seed = invocation.int("seed").map(UInt64.init)
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let tokenizer = try session.tokenizer()
    let promptIDs = try GenerateDirective.promptIDs(prompt, session: session, model: model, directive: Self.name)
    let config = model.config
    guard promptIDs.count + steps <= config.contextLength else {
      throw LessonError.directiveFailed(
        "the prompt (\(promptIDs.count) tokens) and \(steps) new tokens do not fit in the model's context of \(config.contextLength)"
      )
    }
    let seed = self.seed ?? session.seed
    // Untimed warm-ups: the first call allocates the cache and decode buffers.
    for useCache in [true, false] {
      _ = try model.generate(prompt: promptIDs, maxNewTokens: 2, sampling: sampling, seed: seed, useCache: useCache)
    }
    let cached = try model.generate(prompt: promptIDs, maxNewTokens: steps, sampling: sampling, seed: seed, useCache: true)
    let uncached = try model.generate(prompt: promptIDs, maxNewTokens: steps, sampling: sampling, seed: seed, useCache: false)
    let identical = cached.tokens == uncached.tokens
    let firstDifference = zip(cached.tokens, uncached.tokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset

    let work = DecodingWork(config: config, promptLength: promptIDs.count, steps: steps)
    session.report("identical", identical ? 1 : 0)
    session.report("tokens", steps)
    session.report("cache_bytes", cached.stats.cacheBytes)
    session.report("bytes_per_position", work.bytesPerPosition)
    session.report("work_ratio", work.totalWithout / work.totalWith)
    session.report("rows_without", work.rows.map(\.without).reduce(0, +))
    session.report("rows_with", work.rows.map(\.with).reduce(0, +))
    let speed = session.text(.tokensPerSecond)
    session.measure(session.text(.withCache) + " " + speed, ValueFormat.fixed(1).string(for: cached.stats.tokensPerSecond))
    session.measure(session.text(.withoutCache) + " " + speed, ValueFormat.fixed(1).string(for: uncached.stats.tokensPerSecond))
    session.measure(
      session.text(.measuredSpeedup),
      ValueFormat.fixed(2).string(for: cached.stats.tokensPerSecond / max(uncached.stats.tokensPerSecond, 1e-9)) + "×")

    let language = session.language
    func word(_ phrase: Phrase) -> String { phrase.text(language, []) }
    let P = promptIDs.count
    func strip(_ title: Phrase, _ generated: [Int32]) -> Output {
      let ids = promptIDs.map(Int.init) + generated.map(Int.init)
      return .tokenStrip(
        TokenStrip(
          title: word(title),
          pieces: zip(ids, visiblePieces(ids, tokenizer)).enumerated().map {
            TokenPiece(text: $0.element.1, id: $0.element.0, highlighted: $0.offset >= P)
          }))
    }
    var outputs: [Output] = [strip(.withCache, cached.tokens)]
    if identical {
      outputs.append(.explanation(Phrase.kvIdentical.richText(language, [TextSpan(String(steps))])))
    } else {
      outputs.append(strip(.withoutCache, uncached.tokens))
      outputs.append(.warning(Phrase.kvDifferent.richText(language, [TextSpan(String(firstDifference! + 1))])))
    }
    outputs += work.outputs(language)
    return outputs
  }
}

/// The multiply-adds of each generated token with and without the cache, from the shapes: per
/// layer and row 12·C² for the four weight matrices (3C² + C² + 4C² + 4C²) plus 2·C per attended
/// position (q·k and the weighted sum of v), and V·C per row for the output layer.
struct DecodingWork {
  struct Row {
    let step: Int
    /// Positions the new token's query attends to (the prompt and all tokens so far).
    let length: Int
    let without: Int, with: Int
    let macsWithout: Double, macsWith: Double
  }
  let config: GPTConfiguration
  let rows: [Row]
  let bytesPerPosition: Int

  init(config: GPTConfiguration, promptLength P: Int, steps: Int) {
    self.config = config
    let C = Double(config.embeddingSize), L = Double(config.layerCount), V = Double(config.vocabSize)
    /// Rows n0+1…n1 through every layer, each attending to all positions up to its own.
    func macs(rowsFrom n0: Int, to n1: Int, logitsRows: Int) -> Double {
      let rows = Double(n1 - n0)
      let attended = Double((n0 + 1 + n1) * (n1 - n0)) / 2  // Σ positions attended, rows n0+1…n1
      return L * (12 * C * C * rows + 2 * C * attended) + V * C * Double(logitsRows)
    }
    var rows: [Row] = []
    for step in 1...steps {
      let n = P + step - 1  // positions known when token `step` is chosen
      if step == 1 {
        // Both ways start by running the whole prompt; the cached path computes logits for the
        // last row only, the uncached forward pass for every row.
        rows.append(
          Row(
            step: 1, length: n, without: n, with: n,
            macsWithout: macs(rowsFrom: 0, to: n, logitsRows: n), macsWith: macs(rowsFrom: 0, to: n, logitsRows: 1)))
      } else {
        rows.append(
          Row(
            step: step, length: n, without: n, with: 1,
            macsWithout: macs(rowsFrom: 0, to: n, logitsRows: n), macsWith: macs(rowsFrom: n - 1, to: n, logitsRows: 1)))
      }
    }
    self.rows = rows
    bytesPerPosition = config.layerCount * 2 * config.embeddingSize * 4
  }

  var totalWithout: Double { rows.reduce(0) { $0 + $1.macsWithout } }
  var totalWith: Double { rows.reduce(0) { $0 + $1.macsWith } }

  func outputs(_ language: LessonLanguage) -> [Output] {
    func word(_ phrase: Phrase) -> String { phrase.text(language, []) }
    func millions(_ value: Double) -> String { ValueFormat.fixed(2).string(for: value / 1e6) }
    let shown = rows.count <= 12 ? rows : Array(rows.prefix(6)) + Array(rows.suffix(6))
    let table = Table(
      title: word(.kvWorkTitle),
      headers: [
        word(.step), word(.positions), word(.rowsWithout), word(.rowsWith),
        word(.macsWithout), word(.macsWith), "×",
      ],
      rows: shown.map { r in
        [
          String(r.step), String(r.length), String(r.without), String(r.with), millions(r.macsWithout),
          millions(r.macsWith), ValueFormat.fixed(1).string(for: r.macsWithout / r.macsWith),
        ]
      },
      alignments: Array(repeating: .right, count: 7))
    let chart = LineChart(
      title: word(.kvChartTitle), xLabel: word(.step), yLabel: word(.macsMillions),
      series: [
        ChartSeries(name: word(.withoutCache), points: rows.map { ChartPoint(x: Double($0.step), y: $0.macsWithout / 1e6) }),
        ChartSeries(name: word(.withCache), points: rows.map { ChartPoint(x: Double($0.step), y: $0.macsWith / 1e6) }),
      ])
    let last = rows.last!
    let lastPositions = last.length  // the prompt and every token fed back; the last one drawn is not fed yet
    let C = config.embeddingSize, L = config.layerCount
    return [
      .table(table), .lineChart(chart),
      .explanation(
        Phrase.kvWork.richText(
          language,
          [
            TextSpan(String(last.step)), TextSpan(String(last.without)), TextSpan(millions(last.macsWithout)),
            TextSpan(millions(last.macsWith)), TextSpan(ValueFormat.fixed(1).string(for: totalWithout / totalWith)),
          ])),
      .explanation(
        Phrase.kvBytes.richText(
          language,
          [
            TextSpan(String(L)), TextSpan(String(C)), TextSpan(String(bytesPerPosition)),
            TextSpan(String(lastPositions)), TextSpan(GenerateView.bytes(bytesPerPosition * lastPositions)),
            TextSpan(String(config.contextLength)), TextSpan(GenerateView.bytes(bytesPerPosition * config.contextLength)),
          ])),
    ]
  }
}
