// {generate}: autoregressive generation step by step with the KV cache — at each step the top
// candidates with the model's probabilities and the probabilities actually sampled from after
// temperature, top-k and top-p (Hugging Face's order; Holtzman et al. 2020 for top-p), the token
// drawn, the cache's size; tokens/s as a measurement. The same tokens as GPT.generate with the
// same seed (its loop, written out here so each step's distribution can be shown).
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{generate} O gato
//     :steps: 3
//     :temperature: 0.8
//     :top-k: 5
//     :seed: 7
//     ```
import Foundation
import LessonModel
import MiniGPT

public struct GenerateDirective: Directive {
  public static let name = "generate"
  public static let summary = "Generate tokens step by step: candidates, sampling, the token drawn."
  public static let argument = ArgumentRule.optional("the prompt (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("steps", default: 8, in: 1...1024, help: "tokens to generate"),
    .float("temperature", default: 1, in: 0...100, help: "0 = greedy; below 1 sharper, above 1 flatter"),
    .int("top-k", in: 1...1_000_000, help: "keep only the k most likely tokens"),
    .float("top-p", in: 0...1, help: "keep the most likely tokens until their probability reaches p"),
    .int("seed", in: 0...Int.max, help: "seed of the draws (default: the lesson's seed)"),
    .int("candidates", default: 5, in: 1...50, help: "candidates shown per step"),
    .int("detail", default: 8, in: 0...1024, help: "steps shown with their candidates"),
  ]
  public static let results = [
    ResultSpec("tokens", "tokens generated"), ResultSpec("text", "the generated text"),
    ResultSpec("first", "the first token drawn"),
    ResultSpec("first_probability", "its probability in the distribution sampled from"),
    ResultSpec("first_model_probability", "its probability under the model (softmax of the logits)"),
    ResultSpec("kept", "tokens that could be drawn at the first step"),
    ResultSpec("cache_bytes", "KV-cache bytes at the end"),
  ]

  let prompt: String?
  let steps: Int
  let sampling: SamplingSettings
  let seed: UInt64?
  let candidates: Int
  let detail: Int

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
    candidates = invocation.int("candidates")!
    detail = invocation.int("detail")!
  }

  /// One generation step: the top of the distribution the token was drawn from, how many tokens
  /// could be drawn, and the token drawn (with its probabilities, wherever it ranked).
  struct Step {
    let context: [Int]
    let top: [SamplingDistribution.Candidate]
    let kept: Int
    let chosen: SamplingDistribution.Candidate
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let tokenizer = try session.tokenizer()
    let promptIDs = try Self.promptIDs(prompt, session: session, model: model, directive: Self.name)
    guard promptIDs.count + steps <= model.config.contextLength else {
      throw LessonError.directiveFailed(
        "the prompt (\(promptIDs.count) tokens) and \(steps) new tokens do not fit in the model's context of \(model.config.contextLength)"
      )
    }
    let seed = self.seed ?? session.seed
    var sampler = Sampler(settings: sampling, seed: seed)
    let cache = try model.makeKVCache()
    var context = promptIDs.map(Int.init)
    var record: [Step] = []
    var firstLogits: [Float] = []
    let V = model.config.vocabSize
    let clock = ContinuousClock()
    let start = clock.now
    var logits = try model.decode(tokens: promptIDs, cache: cache)
    for index in 0..<steps {
      if index == 0 { firstLogits = logits }
      // The whole distribution, so the drawn token's probabilities are known wherever it ranks.
      let distribution = sampler.distribution(logits, limit: V)
      let next = sampler.sample(logits)
      // Shown by the model's own ranking: temperature keeps the order, and top-k / top-p keep a
      // prefix of it, so the kept tokens come first and the cut ones follow with probability 0.
      let ranked = distribution.top.sorted {
        $0.modelProbability != $1.modelProbability ? $0.modelProbability > $1.modelProbability : $0.id < $1.id
      }
      record.append(
        Step(
          context: context, top: Array(ranked.prefix(candidates)),
          kept: distribution.keptCount, chosen: distribution.top.first { $0.id == next }!))
      context.append(Int(next))
      if index + 1 < steps { logits = try model.decode(tokens: [next], cache: cache) }
    }
    let seconds = (clock.now - start).seconds
    session.measure(
      session.text(.tokensPerSecond),
      ValueFormat.fixed(1).string(for: Double(steps) / max(seconds, 1e-9)))
    session.lastTokenIDs = context

    let generated = record.map { Int($0.chosen.id) }
    let first = record[0]
    session.report("tokens", steps)
    session.report("text", text: readableText(generated, tokenizer))
    session.report("first", text: readableText([Int(first.chosen.id)], tokenizer))
    session.report("first_probability", Double(first.chosen.sampledProbability))
    session.report("first_model_probability", Double(first.chosen.modelProbability))
    session.report("kept", first.kept)
    session.report("cache_bytes", cache.filledBytes)

    let view = GenerateView(
      language: session.language, sampling: sampling, seed: seed, vocabularySize: V,
      pieces: { visiblePieces($0, tokenizer) })
    var outputs = view.setup(promptTokens: promptIDs.count, steps: steps)
    for (index, step) in record.prefix(detail).enumerated() {
      outputs.append(view.stepTable(index: index, step: step))
    }
    outputs += view.transforms(firstLogits)
    outputs += view.result(
      prompt: promptIDs.map(Int.init), record: record,
      text: readableText(generated, tokenizer))
    outputs += view.cache(cache, config: model.config)
    return outputs
  }

  /// The prompt's token ids: the fence-line text, or the session's last text.
  static func promptIDs(_ prompt: String?, session: Session, model: GPT, directive: String) throws -> [Int32] {
    guard let text = prompt ?? session.lastText else {
      throw LessonError.directiveFailed("no prompt: write it after {\(directive)}, or set a text with {text} first")
    }
    let ids = try session.tokenizer().encode(text).map { Int32($0) }
    guard !ids.isEmpty else { throw LessonError.directiveFailed("the prompt is empty: {\(directive)} needs at least one token") }
    if let bad = ids.first(where: { Int($0) >= model.config.vocabSize }) {
      throw LessonError.directiveFailed(
        "the prompt gives token id \(bad), outside the model's vocabulary of \(model.config.vocabSize)")
    }
    return ids
  }
}
