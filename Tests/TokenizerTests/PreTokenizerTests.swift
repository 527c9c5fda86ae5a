// The hand-written GPT-2 pre-tokenizer against HF's ByteLevel pre-tokenizer (fixtures), hand-worked
// examples of the pattern's trickier alternatives, invalid UTF-8, and coverage of any input.
import Testing

@testable import Tokenizer

@Suite struct PreTokenizerTests {
  @Test func matchesHuggingFaceOnEveryFixtureText() throws {
    for c in try Fixtures.cases().cases {
      let ours = PreTokenizer.split(Array(c.text.utf8)).map { ByteLevel.string(of: $0) }
      #expect(ours == c.pretokens, "text: \(c.text.debugDescription)")
    }
  }

  /// Every code point (surrogates excepted) gets the class HF's pattern gives it: letters,
  /// numbers and whitespace from Swift's Unicode tables agree with Oniguruma's in HF.
  @Test func everyCodePointHasTheClassHuggingFaceGivesIt() throws {
    let text = String(decoding: try Fixtures.data("unicode_classes.txt"), as: UTF8.self)
    let names: [Substring: CharacterClass] = ["L": .letter, "N": .number, "S": .whitespace, "O": .other]
    var checked = 0
    var mismatches: [String] = []
    var utf8 = [UInt8](repeating: 0, count: 4)
    for line in text.split(separator: "\n") {
      let f = line.split(separator: " ")
      let (first, last, expected) = (UInt32(f[0], radix: 16)!, UInt32(f[1], radix: 16)!, names[f[2]]!)
      for value in first...last {
        var count = 0
        UTF8.encode(Unicode.Scalar(value)!) {
          utf8[count] = $0; count += 1
        }
        let (cls, length) = utf8.withUnsafeBufferPointer { characterClass($0.baseAddress!, 0, count) }
        if cls != expected || length != count { mismatches.append(String(value, radix: 16)) }
        checked += 1
      }
    }
    #expect(checked == 0x110000 - 0x800)
    #expect(mismatches.isEmpty, "code points classified differently: \(mismatches.prefix(20))")
  }

  /// Each expectation derived by trying the alternatives in order at each position:
  /// 's|'t|'re|'ve|'m|'ll|'d | ` ?\p{L}+` | ` ?\p{N}+` | ` ?[^\s\p{L}\p{N}]+` | `\s+(?!\S)` | `\s+`.
  @Test(arguments: [
    // Two spaces before a word: the run "  " is followed by "h" (non-space), so `\s+(?!\S)`
    // backs off one character: " ", then " hi" by ` ?\p{L}+`.
    ("  hi", [" ", " hi"]),
    // "\n\n" before "b": the run gives up its last "\n", which alone is followed by "b", so only
    // the last alternative `\s+` takes it.
    ("a\n\nb", ["a", "\n", "\n", "b"]),
    // Whitespace at the end is not followed by anything: one pre-token.
    ("x  ", ["x", "  "]),
    // Contractions are lowercase only; "'T" is an apostrophe (other) then a letter run.
    ("they're DON'T", ["they", "'re", " DON", "'", "T"]),
    // An apostrophe inside a run of others is swallowed by that run: "''s" → "''", "s".
    ("''s", ["''", "s"]),
    // Letters include accented Latin (NFC), so Portuguese words stay whole.
    ("coração ação", ["coração", " ação"]),
    // A space before a number or a symbol run joins it; digits are one class of their own.
    ("x 42 !?", ["x", " 42", " !?"]),
    // A lone space before a newline: the run " \n" ends the text, so it is one pre-token.
    ("a \n", ["a", " \n"]),
  ])
  func handWorkedExamples(text: String, expected: [String]) {
    let pieces = PreTokenizer.split(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    #expect(pieces == expected)
  }

  /// Invalid UTF-8: each byte that does not start a valid sequence is one "other" character.
  /// a | FF FE (two others, one run) | b | space + C3 (a 2-byte lead cut by the end: other).
  @Test func invalidBytesAreOtherCharacters() {
    let bytes: [UInt8] = [0x61, 0xFF, 0xFE, 0x62, 0x20, 0xC3]
    #expect(PreTokenizer.split(bytes) == [[0x61], [0xFF, 0xFE], [0x62], [0x20, 0xC3]])
    // An overlong "/" (C0 AF) and a UTF-16 surrogate (ED A0 80) are invalid too: others.
    #expect(PreTokenizer.split([0x61, 0xC0, 0xAF, 0xED, 0xA0, 0x80]) == [[0x61], [0xC0, 0xAF, 0xED, 0xA0, 0x80]])
  }

  @Test func preTokensCoverAnyBytesWithoutGaps() {
    var rng = SeededGenerator(seed: 7)
    let alphabet: [[UInt8]] = [
      [0x20], [0x0A], [0x0D], [0x09], [0x27], [0x73], [0x41], [0x35], [0x21], [0xC3, 0xA7], [0xF0, 0x9F, 0x98, 0x80],
      [0xCC, 0x81], [0xE2, 0x80, 0x83], [0xFF], [0x80], [0xE2, 0x82],
    ]
    for _ in 0..<300 {
      let bytes = (0..<Int.random(in: 0...40, using: &rng)).flatMap { _ in alphabet.randomElement(using: &rng)! }
      let pieces = PreTokenizer.split(bytes)
      #expect(pieces.flatMap { $0 } == bytes)
      #expect(pieces.allSatisfy { !$0.isEmpty })
    }
  }
}
