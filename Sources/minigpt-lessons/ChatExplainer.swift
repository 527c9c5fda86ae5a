// The educational mode's text: every number comes from the run being explained — the tokenizer's
// ids and merges, the logits each token was drawn from (turned into probabilities by the engine's
// Sampler, so "sampled p" is exactly the distribution that was drawn from), the measured timings
// and the tensors read from the engine. Nothing is recomputed by another formula.
import Foundation
import MiniGPT
import Tokenizer

struct ChatExplainer {
  let tokenizer: BPETokenizer
  let strings: ChatStrings
  let style: TextStyle
  let vocabularySize: Int
  let contextLength: Int

  func piece(_ id: Int32) -> String { displayed(bytes: tokenizer.bytes(of: Int(id)) ?? Array("\u{FFFD}".utf8)) }

  /// "1. Tokenization…" and the pieces with their ids.
  func tokenization(text: String, ids: [Int32]) -> [String] {
    [
      style.bold(strings.explainTokenization(text.utf8.count, ids.count)),
      "   " + ids.map { "\(piece($0))=\($0)" }.joined(separator: " "),
    ]
  }

  /// The full explanation of one answer; `maxSteps` candidate tables (nil = all).
  /// `includeTokenization` is false when the tokenization was already shown before the answer.
  func explanation(
    input: (text: String, tokens: [Int32]), trace: GenerationTrace, sampling: SamplingSettings,
    maxSteps: Int?, includeTokenization: Bool = true
  ) -> [String] {
    var lines = [style.bold(strings.explainTitle)]
    if includeTokenization { lines += tokenization(text: input.text, ids: input.tokens) }
    lines.append(style.bold(strings.explainContext(trace.context.count, contextLength)))
    lines.append(style.bold(strings.explainSampling(describe(sampling))))
    lines.append(strings.explainModelVsSampled)
    // Candidates in the order of the model's own probabilities (the sampled ones keep that order:
    // temperature, top-k and top-p are monotonic); the drawn token is added when it is not in the top 5.
    let sampler = Sampler(settings: sampling, seed: 0), plain = Sampler(settings: SamplingSettings(temperature: 1), seed: 0)
    let shown = min(trace.steps.count, maxSteps ?? trace.steps.count)
    for (i, step) in trace.steps.prefix(shown).enumerated() {
      let drawn = sampler.distribution(step.logits, limit: step.logits.count)
      let sampled = Dictionary(uniqueKeysWithValues: drawn.top.map { ($0.id, $0.sampledProbability) })
      var candidates = plain.distribution(step.logits, limit: 5).top
      if !candidates.contains(where: { $0.id == step.token }), let chosen = drawn.top.first(where: { $0.id == step.token }) {
        candidates.append(chosen)
      }
      lines.append(
        "   " + style.cyan(strings.explainStep(i + 1)) + "  ("
          + strings.explainKept(drawn.keptCount, vocabularySize).trimmingCharacters(in: .whitespaces) + ")")
      for c in candidates {
        let name = piece(c.id).padding(toLength: max(14, piece(c.id).count), withPad: " ", startingAt: 0)
        var row =
          "      " + name + " id " + String(c.id).padding(toLength: 6, withPad: " ", startingAt: 0)
          + String(format: "logit %7.3f  ", c.logit) + strings.explainColumns.model
          + String(format: " %6.2f%%  ", c.modelProbability * 100) + strings.explainColumns.sampled
          + String(format: " %6.2f%%", (sampled[c.id] ?? 0) * 100)
        if c.id == step.token { row = style.green(row + "  " + strings.explainChosen) }
        lines.append(row)
      }
    }
    if shown < trace.steps.count { lines.append("   " + strings.explainMore(trace.steps.count - shown)) }
    if trace.stoppedAtEndOfText { lines.append(strings.explainStopped) }
    if trace.contextResets > 0 { lines.append(strings.explainReset(trace.contextResets)) }
    let perToken = trace.steps.isEmpty ? 0 : trace.decodeSeconds / Double(trace.steps.count) * 1000
    lines.append(
      style.bold(
        strings.explainTimings(
          String(format: "%.2f", trace.prefillSeconds * 1000), String(format: "%.2f", perToken),
          String(format: "%.1f", trace.tokensPerSecond), trace.steps.count)))
    return lines
  }

  func tensors(_ s: TensorSnapshot, embeddingSize: Int) -> [String] {
    func values(_ v: [Float]) -> String {
      "[" + v.map { String(format: "%+.3f", $0) }.joined(separator: " ") + (v.count < embeddingSize ? " …]" : "]")
    }
    var lines = [style.bold(strings.tensorsTitle)]
    lines.append("   " + strings.tensorsEmbedding(vocabularySize, embeddingSize))
    for row in s.embeddingRows { lines.append("      " + piece(row.token) + " id \(row.token): " + values(row.values)) }
    lines.append("   " + strings.tensorsPosition + " " + values(s.positionRow))
    lines.append("   " + strings.tensorsAttention(s.attention.count))
    for (h, weights) in s.attention.enumerated() {
      // The three positions this head attends to most.
      let top = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }.prefix(3)
      lines.append(
        "      " + strings.tensorsHead(h) + ": "
          + top.map { String(format: "pos %d %.3f", $0, weights[$0]) }.joined(separator: ", "))
    }
    lines.append("   " + strings.tensorsCache(bytesText(s.cacheBytes), bytesText(s.cacheCapacityBytes)))
    return lines
  }

  /// /tokens-demo: the ids and pieces, then each pre-token with the merges that built its tokens.
  func tokensDemo(_ text: String) -> [String] {
    let e = tokenizer.explain(text)
    var lines = [style.bold(strings.demoTitle(displayed(bytes: Array(text.utf8)), e.ids.count, text.utf8.count))]
    lines.append("   " + e.ids.map { "\(piece(Int32($0)))=\($0)" }.joined(separator: " "))
    lines.append("   " + strings.demoPreTokens)
    for pre in e.preTokens {
      var line = "      " + displayed(bytes: pre.bytes) + ":"
      if pre.merges.isEmpty { line += " " + pre.ids.map { piece(Int32($0)) }.joined(separator: " ") }
      for m in pre.merges.prefix(12) {
        line += " " + piece(Int32(m.left)) + "+" + piece(Int32(m.right)) + "→" + piece(Int32(m.merged))
      }
      if pre.merges.count > 12 { line += " …" }
      lines.append(line)
    }
    return lines
  }

  func describe(_ s: SamplingSettings) -> String {
    if s.temperature == 0 { return strings.words.greedy }
    var parts = [strings.words.temperature + String(format: " %g", s.temperature)]
    if let k = s.topK { parts.append("top-k \(k)") }
    if let p = s.topP { parts.append(String(format: "top-p %g", p)) }
    return parts.joined(separator: ", ")
  }
}

func bytesText(_ bytes: Int) -> String {
  if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
  if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
  return "\(bytes) B"
}
