// The two merge paths of the encoder (array scan for short words, heap for long ones) against a
// naive twin written from the definition: repeatedly merge the lowest-rank adjacent pair,
// the leftmost on a tie.
import Testing

@testable import Tokenizer

@Suite struct MergeApplierTests {
  /// The definition, as directly as possible (O(n²) per merge).
  static func naiveMerge(_ symbols: [Int32], _ table: MergeTable) -> [Int32] {
    var s = symbols
    while s.count > 1 {
      var best = -1
      var bestValue = MergeTable.absent
      for i in 0..<(s.count - 1) {
        let v = table.packed(s[i], s[i + 1])
        if v < bestValue {
          best = i
          bestValue = v
        }
      }
      if best < 0 { break }
      s[best] = Int32(truncatingIfNeeded: bestValue)
      s.remove(at: best + 1)
    }
    return s
  }

  @Test func bothPathsEqualTheNaiveTwinOnRandomWords() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    let table = tokenizer.mergeTable
    // Words drawn from the corpus's own letters, so that many merges apply.
    let letters = Array("aaaeeoçãõ ção ".utf8) + Array("the in on an".utf8)
    var rng = SeededGenerator(seed: 5)
    for _ in 0..<500 {
      let bytes = (0..<Int.random(in: 1...120, using: &rng)).map { _ in letters.randomElement(using: &rng)! }
      let initial = bytes.withUnsafeBufferPointer { tokenizer.initialSymbols($0) }
      let expected = Self.naiveMerge(initial, table)
      var long = initial
      mergeLong(&long, table, record: nil)
      #expect(long == expected)
      if initial.count > 1, initial.count <= shortWordLimit {
        var short = initial
        mergeShort(&short, table)
        #expect(short == expected)
      }
    }
  }

  /// A hostile "word": 200,000 letters in one pre-token. The heap path keeps this O(n log n).
  @Test func aVeryLongWordEncodesAndRoundTrips() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    let text = String(repeating: "ação", count: 50_000)
    let ids = tokenizer.encode(text)
    #expect(try tokenizer.decode(ids) == text)
    let few = String(repeating: "ação", count: 300)
    let initial = Array(few.utf8).withUnsafeBufferPointer { tokenizer.initialSymbols($0) }
    #expect(tokenizer.encode(few).map { Int32($0) } == Self.naiveMerge(initial, tokenizer.mergeTable))
  }
}
