// The explanation API: a hand-worked trace, and for every fixture text the invariants that tie
// it to `encode` (same ids, replayed merges reach the final ids, each merge names real tokens).
import Testing

@testable import Tokenizer

@Suite struct ExplainTests {
  /// Trained on "aaabdaaabac" alone (see TrainerTests.theClassicExampleByHand): merges by rank
  /// 0 (a,a)→aa 256, 1 (a,b)→ab 257, 2 (aa,ab)→aaab 258, 3 (a,c)→ac 259.
  /// "aaabac" = bytes a a a b a c (ids 64 64 64 65 64 66). Lowest rank first, leftmost on ties:
  /// rank 0 at offset 0 (a,a) → aa a b a c; the (a,a) at offset 1 is gone (its left a was used).
  /// Then rank 1 (a,b) at offset 2 → aa ab a c; rank 2 (aa,ab) at offset 0 → aaab a c;
  /// rank 3 (a,c) at offset 4 → aaab ac.
  @Test func aHandWorkedTrace() throws {
    let tokenizer = try BPETrainer(vocabularySize: 260, specialTokens: []).train(corpus: Array("aaabdaaabac".utf8)).tokenizer
    let e = tokenizer.explain("aaabac")
    #expect(e.preTokens.count == 1)
    let p = e.preTokens[0]
    #expect(p.initialIDs == [64, 64, 64, 65, 64, 66])
    #expect(
      p.merges.map { [$0.offset, $0.left, $0.right, $0.merged, $0.rank] } == [
        [0, 64, 64, 256, 0], [2, 64, 65, 257, 1], [0, 256, 257, 258, 2], [4, 64, 66, 259, 3],
      ])
    #expect(p.ids(afterMerges: 1) == [256, 64, 65, 64, 66])
    #expect(p.ids(afterMerges: 2) == [256, 257, 64, 66])
    #expect(p.ids == [258, 259] && e.ids == [258, 259])
    #expect(p.tokens == ["aaab", "ac"] && e.pieces == ["aaab", "ac"])
  }

  @Test func explanationsAgreeWithEncodeOnEveryFixtureText() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    for c in try Fixtures.cases().cases {
      let e = tokenizer.explain(c.text)
      #expect(e.ids == c.ids, "text: \(c.text.debugDescription)")
      #expect(e.pieces == (try tokenizer.decodePieces(c.ids)))
      #expect(e.preTokens.flatMap(\.bytes) == Array(c.text.utf8))
      for p in e.preTokens where !p.isAddedToken {
        #expect(p.ids(afterMerges: p.merges.count) == p.ids)
        #expect(p.byteLevel == ByteLevel.string(of: p.bytes))
        for step in p.merges {
          #expect(tokenizer.tokens[step.merged] == tokenizer.tokens[step.left]! + tokenizer.tokens[step.right]!)
        }
        // Merges learned later never apply before earlier ones inside a word.
        #expect(zip(p.merges, p.merges.dropFirst()).allSatisfy { $0.rank <= $1.rank })
      }
    }
    let special = tokenizer.explain("x<EOS>")
    #expect(special.preTokens.map(\.isAddedToken) == [false, true])
    #expect(special.ids.last == 3)
  }

  @Test func trainingReportsEachMergeWithItsCount() throws {
    let result = try BPETrainer(vocabularySize: 270).train(corpus: Fixtures.corpus())
    #expect(result.merges.count == 10)
    #expect(result.merges.map(\.rank) == Array(0..<10))
    #expect(result.merges.map(\.merged) == Array(260..<270))
    // Counts never rise: each merge takes the most frequent pair left.
    #expect(zip(result.merges, result.merges.dropFirst()).allSatisfy { $0.count >= $1.count })
    // The first merge is " a", HF's first merge too (hf/tokenizer.json); 36 = the (Ġ, a) pairs
    // in corpus.txt counted with HF's own pre-tokenizer in Python, line by line.
    let first = result.merges[0]
    #expect(result.tokenizer.tokens[first.merged] == "Ġa" && first.count == 36)
  }
}
