// {generate}: the tokens it draws equal GPT.generate's with the same seed (with and without the
// cache), and the first step's probabilities equal a recomputation in Double from logits of a full
// forward pass on a reference-backend twin: softmax, temperature, top-k then top-p (HF's order).
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct GenerateDirectiveTests {
  static let sampling = SamplingSettings(temperature: 0.8, topK: 5, topP: 0.9)
  static let generate = "```{generate} O gato\n:steps: 6\n:temperature: 0.8\n:top-k: 5\n:top-p: 0.9\n:seed: 11\n:detail: 2\n```\n"

  @Test func sameTokensAsTheEngineWithTheSameSeed() throws {
    let (session, runs) = try runKeepingSession(smallModel + Self.generate)
    let model = try session.model()
    let prompt = try session.tokenizer().encode("O gato").map { Int32($0) }
    let cached = try model.generate(prompt: prompt, maxNewTokens: 6, sampling: Self.sampling, seed: 11)
    let uncached = try model.generate(prompt: prompt, maxNewTokens: 6, sampling: Self.sampling, seed: 11, useCache: false)
    let strip = runs[1].strips[0]
    #expect(strip.pieces.filter { !$0.highlighted }.count == prompt.count)
    #expect(strip.pieces.filter(\.highlighted).map(\.id) == cached.tokens.map { Int($0) })
    #expect(cached.tokens == uncached.tokens)
    // The tokenizer knows 260 ids, the model 300: an id beyond the tokenizer is written ⟨id⟩.
    let tokenizer = try session.tokenizer()
    var bytes: [UInt8] = []
    for id in cached.tokens { bytes += tokenizer.bytes(of: Int(id)) ?? Array("⟨\(id)⟩".utf8) }
    #expect(runs[1].text("text") == String(decoding: bytes, as: UTF8.self))
    #expect(runs[1].number("tokens") == 6)
    // Two step tables (:detail: 2).
    #expect(runs[1].tables.count == 2)
  }

  @Test func theFirstDistributionRecomputedInDouble() throws {
    let (session, runs) = try runKeepingSession(smallModel + Self.generate)
    let model = try session.model()
    let prompt = try session.tokenizer().encode("O gato").map { Int32($0) }
    let logits = try twin(of: model).lastLogitsUncached(prompt).map(Double.init)

    let model1 = softmax(logits)
    let tempered = softmax(logits.map { $0 / 0.8 })
    // Ranked by probability, ties by id; top-5, renormalised; then the shortest prefix whose
    // renormalised mass reaches 0.9, renormalised again.
    let ranked = logits.indices.sorted { tempered[$0] != tempered[$1] ? tempered[$0] > tempered[$1] : $0 < $1 }
    let top5 = Array(ranked.prefix(5))
    let mass5 = top5.reduce(0) { $0 + tempered[$1] }
    var kept: [Int] = [], cumulative = 0.0
    for id in top5 {
      kept.append(id)
      cumulative += tempered[id] / mass5
      if cumulative >= 0.9 { break }
    }
    let massKept = kept.reduce(0) { $0 + tempered[$1] }
    func sampled(_ id: Int) -> Double { kept.contains(id) ? tempered[id] / massKept : 0 }

    let table = runs[1].tables[0]
    #expect(table.rows.map { Int($0[1])! } == top5)
    for row in table.rows {
      let id = Int(row[1])!
      #expect(close(number(row[3])!, model1[id], absolute: 1.5e-4))
      #expect(close(number(row[4])!, sampled(id), absolute: 1.5e-4))
    }
    #expect(runs[1].number("kept") == Double(kept.count))
    let first = Int(runs[1].strips[0].pieces.first { $0.highlighted }!.id!)
    #expect(close(runs[1].number("first_probability")!, sampled(first), relative: 1e-4))
    #expect(close(runs[1].number("first_model_probability")!, model1[first], relative: 1e-4))
  }

  @Test func greedyTakesTheArgmax() throws {
    let (session, runs) = try runKeepingSession(smallModel + "```{generate} O gato\n:steps: 3\n:temperature: 0\n```\n")
    let prompt = try session.tokenizer().encode("O gato").map { Int32($0) }
    let logits = try twin(of: try session.model()).lastLogitsUncached(prompt)
    let argmax = logits.indices.max { logits[$0] < logits[$1] }!
    #expect(runs[1].tables[0].rows[0][1] == String(argmax))
    #expect(runs[1].tables[0].rows.map { $0[4] } == ["1.0000", "0.0000", "0.0000", "0.0000", "0.0000"])
    #expect(runs[1].number("first_probability") == 1)
    #expect(runs[1].explanations.contains { $0.hasPrefix("Temperature 0 is greedy decoding") })
  }

  @Test func cacheSizeFromTheShapes() throws {
    // 6 prompt tokens + 6 drawn, the last not fed back: 11 positions × 2 layers × (k, v) × 16
    // numbers × 4 bytes = 2816 bytes; the context of 32 positions: 8192.
    let (_, runs) = try runKeepingSession(smallModel + Self.generate)
    #expect(runs[1].number("cache_bytes") == 2816)
    #expect(
      runs[1].keyValues.last!.entries.map(\.value) == [
        "11", "2 × 2 × 16 × 4 = 256", "2816 bytes (2.8 KiB)", "8192 bytes (8.0 KiB)",
      ])
  }

  @Test func problemsAreReported() throws {
    #expect(
      throws: LessonError.directiveFailed(
        "the prompt (30 tokens) and 5 new tokens do not fit in the model's context of 32")
    ) {
      try runKeepingSession(smallModel + "```{generate} \(String(repeating: "a", count: 30))\n:steps: 5\n```\n")
    }
    #expect(throws: LessonError.directiveFailed("no prompt: write it after {generate}, or set a text with {text} first")) {
      try runKeepingSession(smallModel + "```{generate}\n```\n")
    }
    #expect(
      problems("```{generate} O\n:top-p: 0\n```\n").map(\.message)
        == ["{generate}: top-p must be above 0 (1 keeps every token)"])
  }
}
