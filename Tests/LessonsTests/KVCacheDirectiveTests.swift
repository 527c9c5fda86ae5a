// {kv-cache}: the tokens with the cache equal GPT.generate without it (recomputed here), and the
// work and bytes it reports equal counts worked out by hand from the layer shapes.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct KVCacheDirectiveTests {
  @Test func sameTokensWithAndWithoutTheCache() throws {
    let (session, runs) = try runKeepingSession(smallModel + "```{kv-cache} O gato\n:steps: 5\n:temperature: 1\n:seed: 3\n```\n")
    let prompt = try session.tokenizer().encode("O gato").map { Int32($0) }
    let uncached = try session.model().generate(
      prompt: prompt, maxNewTokens: 5, sampling: SamplingSettings(temperature: 1),
      seed: 3, useCache: false)
    let strip = runs[1].strips[0]
    #expect(strip.pieces.filter(\.highlighted).count == 5)
    let shown = try session.tokenizer().decodePieces(uncached.tokens.map { Int($0) }).map(visible)
    #expect(strip.pieces.filter(\.highlighted).map(\.text) == shown)
    #expect(runs[1].number("identical") == 1)
    #expect(runs[1].warnings.isEmpty)
  }

  @Test func workAndBytesFromTheShapes() throws {
    // L = 2 layers, C = 16, V = 300, a prompt of P = 6 tokens, S = 3 new tokens. Per row and layer:
    // 12·C² = 3072 multiply-adds in the four weight matrices, plus 2·C = 32 per attended position;
    // V·C = 4800 per row of logits.
    // step 1 (n = 6 positions, both run the prompt): without = 2·(3072·6 + 32·(1+…+6)) + 4800·6
    //   = 2·(18432 + 672) + 28800 = 67008; with = 38208 + 4800 = 43008 (logits of the last row only).
    // step 2 (n = 7): without = 2·(3072·7 + 32·28) + 4800·7 = 44800 + 33600 = 78400;
    //   with = 2·(3072 + 32·7) + 4800 = 6592 + 4800 = 11392.
    // step 3 (n = 8): without = 2·(3072·8 + 32·36) + 4800·8 = 51456 + 38400 = 89856;
    //   with = 2·(3072 + 32·8) + 4800 = 6656 + 4800 = 11456.
    // Totals 235264 and 65856. Rows: 6 + 7 + 8 = 21 without, 6 + 1 + 1 = 8 with.
    let (_, runs) = try runKeepingSession(smallModel + "```{kv-cache} O gato\n:steps: 3\n```\n")
    let result = runs[1]
    #expect(result.number("rows_without") == 21 && result.number("rows_with") == 8)
    #expect(close(result.number("work_ratio")!, 235264.0 / 65856.0, relative: 1e-12))
    // 2 layers × (k, v) × 16 × 4 bytes = 256 per position; 6 + 3 − 1 = 8 positions at the end.
    #expect(result.number("bytes_per_position") == 256)
    #expect(result.number("cache_bytes") == 2048)
    let table = result.tables[0]
    #expect(table.rows.map { Array($0[0...3]) } == [["1", "6", "6", "6"], ["2", "7", "7", "1"], ["3", "8", "8", "1"]])
    #expect(table.rows.map { $0[6] } == ["1.6", "6.9", "7.8"])  // 67008/43008, 78400/11392, 89856/11456
    let chart = result.charts[0]
    #expect(chart.series[0].points.map(\.y) == [0.067008, 0.0784, 0.089856])
    #expect(chart.series[1].points.map(\.y) == [0.043008, 0.011392, 0.011456])
  }

  @Test func timingsAreMeasurementsOnly() throws {
    // Two runs give equal outputs: tokens/s goes to measurements, never into outputs.
    let lesson = smallModel + "```{kv-cache} O gato\n:steps: 4\n```\n"
    let (first, a) = try runKeepingSession(lesson)
    let (_, b) = try runKeepingSession(lesson)
    #expect(a[1].outputs == b[1].outputs)
    #expect(first.measurements.map(\.key) == ["with KV cache tokens/s", "without cache tokens/s", "measured speed-up"])
  }
}
