// {embed}: the rows shown are the model's wte/wpe rows for the token ids and positions; the sum
// shown is the engine's `encoded` and equals wte + wpe added here; norms and cosines recomputed
// here in Double.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct EmbedDirectiveTests {
  @Test func rowsSumsNormsAndSimilarities() throws {
    let text = "o gato e o rato"
    let (session, runs) = try runKeepingSession(smallModel + "```{embed} \(text)\n:dims: 5\n:rows: 20\n```\n")
    let run = runs[1]
    let model = try session.model()
    let tokenizer = try session.tokenizer()
    let ids = tokenizer.encode(text)
    let T = ids.count, C = 16
    #expect(run.number("tokens") == Double(T) && run.number("width") == 16)
    let wte = model.read(model.parameter("wte.weight")!), wpe = model.read(model.parameter("wpe.weight")!)
    let tokenRows = ids.map { Array(wte[($0 * C)..<($0 * C + C)]) }
    let positionRows = (0..<T).map { Array(wpe[($0 * C)..<($0 * C + C)]) }
    let previews = run.previews
    #expect(previews[0].values == tokenRows.map { Array($0.prefix(5)) })
    #expect(previews[1].values == positionRows.map { Array($0.prefix(5)) })
    #expect(previews[0].hiddenColumns == 11)
    // The sum, added here, against the engine's `encoded` shown in the third preview.
    for t in 0..<T {
      for c in 0..<5 { #expect(abs(previews[2].values[t][c] - (tokenRows[t][c] + positionRows[t][c])) <= 1e-6) }
    }
    #expect(try #require(run.number("sum-error")) <= 1e-6)

    func norm(_ v: [Float]) -> Double { v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
    func cosine(_ a: [Float], _ b: [Float]) -> Double {
      zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / (norm(a) * norm(b))
    }
    let norms = run.tables[0]
    for t in 0..<T {
      #expect(abs(Double(norms.rows[t][3])! - norm(tokenRows[t])) <= 0.0005)
      #expect(abs(Double(norms.rows[t][4])! - norm(positionRows[t])) <= 0.0005)
      #expect(abs(Double(norms.rows[t][5])! - norm(zip(tokenRows[t], positionRows[t]).map { $0 + $1 })) <= 0.0005)
    }
    let heatmap = try #require(run.heatmaps.first)
    var best = -2.0
    for i in 0..<T {
      for j in 0..<T {
        let expected = cosine(tokenRows[i], tokenRows[j])
        #expect(abs(Double(heatmap.values[i][j]) - expected) <= 1e-5)
        if ids[i] != ids[j] { best = max(best, expected) }
      }
    }
    #expect(abs(try #require(run.number("max-similarity")) - best) <= 1e-5)
    // One byte per token: "o" at 0 and 5 is the first repeat ("␣" repeats only at 6).
    #expect(ids[0] == ids[5])
    #expect(run.explanations.contains { $0.hasPrefix("o appears at positions 0 and 5: the same row of wte") })
  }

  @Test func usesTheLastTextAndRefusesTooLongOnes() throws {
    let (_, runs) = try runKeepingSession(smallModel + "```{text}\nab\n```\n\n```{embed}\n```\n")
    #expect(runs[2].number("tokens") == 2)  // "a", "b": the bytes-only tokenizer gives one token per byte
    let long = String(repeating: "a", count: 40)
    #expect(throws: LessonError.directiveFailed("the text has 40 tokens; this model reads at most 32 (its context length)")) {
      _ = try runKeepingSession(smallModel + "```{embed} \(long)\n```\n")
    }
  }
}
