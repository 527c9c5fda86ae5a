// {tokenize}: ids equal the tokenizer's encode, pieces put back together give the text, every merge
// row is the tokenizer's merge of that rank; the training view against a corpus worked by hand.
import Foundation
import LessonModel
import MiniGPT
import TestSupport
import Testing
import Tokenizer

@testable import Lessons

@Suite struct TokenizeDirectiveTests {
  static let corpus = String(repeating: "o gato subiu no telhado; o gato desceu do telhado e viu o rato.\n", count: 20)

  /// A lesson whose session tokenizer is `tokenizer`, saved beside a small model.
  func lesson(_ body: String, tokenizer: BPETokenizer) throws -> (Session, [DirectiveRun]) {
    try runKeepingSession(
      "```{model}\n:vocab: 400\n:context: 32\n:width: 8\n:layers: 1\n:heads: 2\n:tokenizer: t.json\n```\n\n" + body,
      files: ["t.json": tokenizer.tokenizerJSON()])
  }

  @Test func idsPiecesAndMergesComeFromTheTokenizer() throws {
    let tokenizer = try BPETokenizer.train(corpus: Self.corpus, vocabularySize: 320)
    let text = "O gato subiu no telhado"
    let (session, runs) = try lesson("```{tokenize} \(text)\n```\n", tokenizer: tokenizer)
    let run = runs[1]
    let ids = tokenizer.encode(text)
    let strip = try #require(run.strips.first)
    #expect(strip.pieces.map(\.id) == ids)
    // The pieces, with ␣ turned back into spaces, are the text.
    #expect(strip.pieces.map(\.text).joined().replacingOccurrences(of: "␣", with: " ") == text)
    #expect(run.number("tokens") == Double(ids.count))
    #expect(run.number("bytes") == 23 && run.number("characters") == 23 && run.number("roundtrip") == 1)
    // Pre-tokens: "O", " gato", " subiu", " no", " telhado" (GPT-2's pattern keeps the space in front).
    #expect(run.number("pre-tokens") == 5)
    #expect(run.tables[0].rows.map { $0[0] } == ["O", "␣gato", "␣subiu", "␣no", "␣telhado"])
    #expect(run.tables[0].rows[1][1] == "20 67 61 74 6F")
    // Each merge row names the tokenizer's merge of that rank: (left, right) → new id.
    let merges = run.tables[1].rows.filter { $0[0] != "…" }
    #expect(Double(merges.count) == run.number("merges"))
    for row in merges {
      let rank = try #require(Int(row[5])) - 1
      let merge = tokenizer.merges[rank]
      #expect(row[4] == String(merge.merged))
      #expect(row[2] == tokenLabel(tokenizer.bytes(of: merge.left)!) + " + " + tokenLabel(tokenizer.bytes(of: merge.right)!))
    }
    #expect(session.lastTokenIDs == ids && session.lastText == text)
  }

  @Test func trainingViewWorkedByHand() throws {
    // Pre-tokens of "abab abab\n": "abab", " abab", "\n". Pair counts: a+b 2+2 = 4, b+a 1+1 = 2,
    // ␣+a 1. Merge 1: a+b (4). Then "abab" = [ab ab], " abab" = [␣ ab ab]: ab+ab 2, ␣+ab 1.
    // Merge 2: ab+ab (2). Then " abab" = [␣ abab]: merge 3: ␣+abab (1). No pair is left.
    // Ids: 4 special tokens and 256 bytes come first, so the merges make ids 260, 261, 262.
    let (_, runs) = try runKeepingSession("```{tokenize} abab abab\n:vocab-size: 270\nabab abab\n```\n")
    let run = runs[0]
    #expect(run.number("learned-merges") == 3 && run.number("first-merge-count") == 4)
    #expect(
      run.tables[0].rows == [
        ["1", "a", "b", "ab", "260", "4"], ["2", "ab", "ab", "abab", "261", "2"], ["3", "␣", "abab", "␣abab", "262", "1"],
      ])
    // Encoding the same text: "abab" → a+b, a+b, ab+ab (3 merges); " abab" → those and ␣+abab (4).
    #expect(run.number("tokens") == 2 && run.number("merges") == 7)
    #expect(run.strips[0].pieces.map(\.id) == [261, 262])
  }

  @Test func brokenCharactersShowTheirBytes() throws {
    // With the bytes-only tokenizer, "ção" is its 5 UTF-8 bytes: C3 A7, C3 A3, 6F.
    let (_, runs) = try runKeepingSession(smallModel + "```{tokenize} ção\n```\n")
    #expect(runs[1].strips[0].pieces.map(\.text) == ["⟨C3⟩", "⟨A7⟩", "⟨C3⟩", "⟨A3⟩", "o"])
    #expect(runs[1].number("tokens") == 5 && runs[1].number("characters") == 3 && runs[1].number("roundtrip") == 1)
  }

  @Test func optionProblems() {
    let found = problems("```{tokenize} a\n:training-view: 3\n```\n\n```{tokenize} a\n:vocab-size: 100\nab ab\n```\n")
    #expect(
      found.map(\.summary) == [
        "lesson.md:2:1: error: {tokenize}: ':training-view:' needs a text to train on: a body or ':train-on: FILE'",
        "lesson.md:6:1: error: {tokenize}: a byte-level tokenizer needs at least 260 tokens (256 bytes and 4 special tokens)",
      ])
  }

  @Test func trainsOnAFile() throws {
    let (_, runs) = try runKeepingSession(
      "```{tokenize} o gato\n:train-on: c.txt\n:training-view: 2\n```\n",
      files: ["c.txt": Self.corpus])
    let trained = try BPETrainer(vocabularySize: 290).train(corpus: Array(Self.corpus.utf8))
    #expect(runs[0].tables[0].rows.map { $0[5] } == trained.merges.prefix(2).map { String($0.count) })
    #expect(runs[0].strips[0].pieces.map(\.id) == trained.tokenizer.encode("o gato"))
  }
}
