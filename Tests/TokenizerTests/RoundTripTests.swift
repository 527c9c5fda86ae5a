// Property tests (seeded): decode(encode(s)) == s for random strings full of the hard cases —
// emoji with ZWJ and skin tones, flags, combining marks, CRLF, NUL, tabs, NBSP, Portuguese, CJK,
// contractions and special-token text — and decodeBytes(encode(bytes:)) == bytes for random bytes.
import Testing

@testable import Tokenizer

@Suite struct RoundTripTests {
  static let pieces = [
    "a", "Z", "the", " ", "  ", "\t", "\n", "\r\n", "\r", "\0", "'s", "'ll", "'", "DON'T", "1", "42", "3.14", "!",
    "?!", "...", "😀", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🇧🇷", "🏳️‍🌈", "❤️", "e\u{301}", "c\u{327}", "a\u{303}", "coração",
    "ação", "não", "\u{A0}", "\u{2003}", "\u{3000}", "日本語", "한국어", "Ελληνικά", "<EOS>", "<PAD>", "<EO",
    "\u{FEFF}", "\u{200B}", "\u{10FFFF}", "𝔘", "Ⅻ", "½",
  ]

  @Test func decodeOfEncodeIsTheIdentityOnRandomStrings() throws {
    let tokenizers = [try Fixtures.hfTokenizer(), try BPETokenizer.train(corpus: Fixtures.corpus(), vocabularySize: 300)]
    var rng = SeededGenerator(seed: 2024)
    for _ in 0..<400 {
      let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
      for tokenizer in tokenizers {
        let ids = tokenizer.encode(text)
        // Compare bytes: String == would accept a canonically equivalent (normalized) result.
        #expect(try tokenizer.decodeBytes(ids) == Array(text.utf8), "text: \(text.debugDescription)")
        #expect(tokenizer.explain(text).ids == ids)
      }
    }
  }

  @Test func decodeOfEncodeIsTheIdentityOnRandomBytes() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    var rng = SeededGenerator(seed: 99)
    for _ in 0..<300 {
      let bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      #expect(try tokenizer.decodeBytes(tokenizer.encode(bytes: bytes)) == bytes)
    }
  }
}
