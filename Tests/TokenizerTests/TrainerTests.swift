// Training: the classic hand-worked example, equality with Hugging Face's BpeTrainer on the
// fixture corpus (byte for byte), the incremental trainer against a naive twin that recounts
// every pair after every merge, and bad input.
import Foundation
import Testing

@testable import Tokenizer

@Suite struct TrainerTests {
  /// "aaabdaaabac" (Wikipedia's BPE example), one pre-token, no special tokens.
  /// Ids: the 256 bytes in vocabulary order put "!" (0x21) at 0, so "a" = 0x61 - 0x21 = 64,
  /// "b" = 65, "c" = 66, "d" = 67; merges get 256, 257, …
  /// Pairs (all windows): aa ×4 (aaa twice → 2 each), ab ×2, bd, da, ba, ac ×1.
  /// 1. (a, a) count 4 → "aa" = 256. Left to right without overlap "aaab" → [aa, a, b]:
  ///    word = aa a b d aa a b a c; pairs: (aa,a) 2, (a,b) 2, (b,d) (d,aa) (b,a) (a,c) 1.
  /// 2. Tie at 2 between (aa, a) = (256, 64) and (a, b) = (64, 65): the smaller ids win, (a, b)
  ///    → "ab" = 257. word = aa ab d aa ab a c; pairs: (aa,ab) 2, others 1.
  /// 3. (aa, ab) count 2 → "aaab" = 258. word = aaab d aaab a c; every pair now occurs once.
  /// 4. Tie at 1 among (aaab,d) = (258,67), (d,aaab) = (67,258), (aaab,a) = (258,64),
  ///    (a,c) = (64,66): smallest is (a, c) → "ac" = 259. word = aaab d aaab ac.
  @Test func theClassicExampleByHand() throws {
    let result = try BPETrainer(vocabularySize: 260, specialTokens: []).train(corpus: Array("aaabdaaabac".utf8))
    let merges = result.merges.map { [$0.left, $0.right, $0.merged, $0.count] }
    #expect(merges == [[64, 64, 256, 4], [64, 65, 257, 2], [256, 257, 258, 2], [64, 66, 259, 1]])
    let tokenizer = result.tokenizer
    #expect(tokenizer.tokens[256...259].map { $0! } == ["aa", "ab", "aaab", "ac"])
    #expect(tokenizer.encode("aaabdaaabac") == [258, 67, 258, 259])
    // Encoding applies merges by rank: "aaabac" → aa a b a c → aa ab a c → aaab a c → aaab ac.
    #expect(tokenizer.encode("aaabac") == [258, 259])
  }

  @Test func trainingEqualsHuggingFaceByteForByte() throws {
    let cases = try Fixtures.cases()
    let tokenizer = try BPETokenizer.train(
      corpus: Fixtures.corpus(), vocabularySize: cases.vocab_size, specialTokens: cases.specials)
    let hf = String(decoding: try Fixtures.data("hf/tokenizer.json"), as: UTF8.self)
    #expect(tokenizer.tokenizerJSON() == hf)
  }

  /// The naive twin: recount all pairs after every merge; best = highest count, then smallest ids.
  static func naiveMerges(_ corpus: [UInt8], vocabularySize: Int, specials: [String]) -> [LearnedMerge] {
    var strings = specials
    var idOf = Dictionary(uniqueKeysWithValues: specials.enumerated().map { ($1, $0) })
    for byte in ByteLevel.bytesInVocabularyOrder {
      idOf[String(ByteLevel.characters[Int(byte)])] = strings.count
      strings.append(String(ByteLevel.characters[Int(byte)]))
    }
    var counts: [[UInt8]: Int] = [:]
    for line in corpus.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().map({ k, l in
      Array(l) + (k < corpus.split(separator: 0x0A, omittingEmptySubsequences: false).count - 1 ? [0x0A] : [])
    }) {
      for word in PreTokenizer.split(line) { counts[word, default: 0] += 1 }
    }
    var words = counts.map { word, count in (word.map { idOf[String(ByteLevel.characters[Int($0)])]! }, count) }
    var merges: [LearnedMerge] = []
    while strings.count < vocabularySize {
      var pairs: [[Int]: Int] = [:]
      for (symbols, count) in words where symbols.count > 1 {
        for i in 0..<(symbols.count - 1) { pairs[[symbols[i], symbols[i + 1]], default: 0] += count }
      }
      guard
        let best = pairs.filter({ $0.value > 0 }).min(by: { a, b in
          a.value != b.value ? a.value > b.value : a.key.lexicographicallyPrecedes(b.key)
        })
      else { break }
      let text = strings[best.key[0]] + strings[best.key[1]]
      let merged = idOf[text] ?? strings.count
      if merged == strings.count {
        idOf[text] = merged
        strings.append(text)
      }
      merges.append(LearnedMerge(rank: merges.count, left: best.key[0], right: best.key[1], merged: merged, count: best.value))
      for w in words.indices {
        var out: [Int] = []
        var i = 0
        let s = words[w].0
        while i < s.count {
          if i + 1 < s.count, s[i] == best.key[0], s[i + 1] == best.key[1] {
            out.append(merged)
            i += 2
          } else {
            out.append(s[i])
            i += 1
          }
        }
        words[w].0 = out
      }
    }
    return merges
  }

  @Test func incrementalCountsEqualANaiveRecount() throws {
    let corpus = try Fixtures.corpus()
    let fast = try BPETrainer(vocabularySize: 600).train(corpus: corpus).merges
    let naive = Self.naiveMerges(corpus, vocabularySize: 600, specials: BPETokenizer.defaultSpecialTokens)
    #expect(fast.count == naive.count && fast.count > 200)
    #expect(firstDifference(fast, naive) == nil)
    // Few letters, many repeats: overlapping pairs ("aaaa"), ties everywhere, words merged whole.
    var rng = SeededGenerator(seed: 11)
    for _ in 0..<3 {
      let random = (0..<3000).map { _ in Array("aab  \n".utf8).randomElement(using: &rng)! }
      let trained = try BPETrainer(vocabularySize: 330, specialTokens: ["<s>"]).train(corpus: random).merges
      let naiveRandom = Self.naiveMerges(random, vocabularySize: 330, specials: ["<s>"])
      #expect(trained.count == naiveRandom.count)
      #expect(firstDifference(trained, naiveRandom) == nil)
    }
  }

  /// The first merge where two lists differ, or nil (keeps a failure message short).
  func firstDifference(_ a: [LearnedMerge], _ b: [LearnedMerge]) -> (LearnedMerge?, LearnedMerge?)? {
    for k in 0..<max(a.count, b.count) where k >= a.count || k >= b.count || a[k] != b[k] {
      return (k < a.count ? a[k] : nil, k < b.count ? b[k] : nil)
    }
    return nil
  }

  @Test func trainingStopsWhenPairsRunOut() throws {
    let result = try BPETrainer(vocabularySize: 10_000).train(corpus: Array("ab ab".utf8))
    // Words "ab" and " ab": (a,b) count 2 → "ab"; then (Ġ, ab) count 1 → " ab"; nothing left.
    #expect(result.merges.map(\.count) == [2, 1])
    #expect(result.tokenizer.vocabularySize == 4 + 256 + 2)
  }

  @Test func progressIsReportedUpToTheEnd() throws {
    var reports: [TrainingProgress] = []
    _ = try BPETrainer(vocabularySize: 500).train(corpus: Fixtures.corpus()) { reports.append($0) }
    let merging = reports.filter { $0.phase == .merging }
    #expect(!merging.isEmpty && merging.last == TrainingProgress(phase: .merging, done: 240, total: 240))
    #expect(zip(merging, merging.dropFirst()).allSatisfy { $0.done <= $1.done })
  }

  @Test func badTrainingInputIsAClearError() throws {
    #expect(throws: TokenizerError.emptyCorpus(source: "empty.txt")) {
      try BPETrainer(vocabularySize: 300).train(corpus: [], source: "empty.txt")
    }
    #expect(throws: TokenizerError.vocabularyTooSmall(requested: 259, minimum: 260)) {
      try BPETrainer(vocabularySize: 259).train(corpus: Array("abc".utf8))
    }
    #expect(throws: TokenizerError.invalidSpecialToken("<EOS>", reason: "it is listed twice")) {
      try BPETrainer(vocabularySize: 300, specialTokens: ["<EOS>", "<EOS>"]).train(corpus: Array("abc".utf8))
    }
    #expect(throws: TokenizerError.invalidSpecialToken("", reason: "it is empty")) {
      try BPETrainer(vocabularySize: 300, specialTokens: [""]).train(corpus: Array("abc".utf8))
    }
    let message = TokenizerError.emptyCorpus(source: "data/empty.txt").description
    #expect(message.contains("data/empty.txt") && message.contains("empty"))
  }
}
