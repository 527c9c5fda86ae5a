// The merge loop of BPE training, with incremental pair counts and a lazy max-heap.
// Reference: HF tokenizers models/bpe/trainer.rs `do_train` and word.rs `Word::merge`.
//
// State: every distinct word as a run of symbol ids in one flat array; for every pair ever seen a
// "slot" with its count (summed over words × word counts), the words it occurs in, and whether it
// has been merged. A merge of (A, B) → N visits only the words listed for (A, B) and, at each
// occurrence, moves counts from (prev, A) and (B, next) to (prev, N) and (N, next). The heap holds
// (count, pair) entries that may be stale: a popped entry whose count is no longer current is
// pushed back with the current count (counts only fall after a pair's creation, so the first
// current entry popped is the true best).

/// A heap entry: higher count first, then the smaller pair of ids (HF's `Merge` ordering).
struct PairEntry: Comparable {
  var count: Int
  var left: Int32
  var right: Int32
  var slot: Int32

  static func < (a: PairEntry, b: PairEntry) -> Bool {
    if a.count != b.count { return a.count > b.count }
    if a.left != b.left { return a.left < b.left }
    return a.right < b.right
  }
}

struct MergeState {
  // Vocabulary being built.
  var tokenStrings: [String] = []  // byte-level form of each id
  var idOfString: [String: Int] = [:]
  // Words.
  var symbols: [Int32] = []
  var wordStart: [Int] = []
  var wordLength: [Int32] = []
  var wordCount: [Int] = []
  var wordStamp: [Int32] = []
  // Pair slots.
  var slotOfPair = PairMap(capacity: 1 << 16)
  var slotCount: [Int] = []
  var slotLeft: [Int32] = []
  var slotRight: [Int32] = []
  var slotWords: [[Int32]] = []
  var slotLastWord: [Int32] = []
  var slotMerged: [Bool] = []
  var slotTouched: [Int32] = []
  var touched: [Int32] = []

  init(words: WordCounts, specialTokens: [String]) {
    for special in specialTokens { addToken(special) }
    var byteID = [Int32](repeating: 0, count: 256)
    for byte in ByteLevel.bytesInVocabularyOrder {
      byteID[Int(byte)] = Int32(addToken(String(ByteLevel.characters[Int(byte)])))
    }
    // Words of one symbol have no pair: leave them out.
    for index in 0..<words.table.count where words.table.lengths[index] > 1 {
      wordStart.append(symbols.count)
      wordLength.append(words.table.lengths[index])
      wordCount.append(words.counts[index])
      for byte in words.table.bytes(index) { symbols.append(byteID[Int(byte)]) }
    }
    wordStamp = [Int32](repeating: -1, count: wordStart.count)
    for w in 0..<wordStart.count {
      let start = wordStart[w]
      for i in start..<(start + Int(wordLength[w]) - 1) {
        add(wordCount[w], to: symbols[i], symbols[i + 1], word: Int32(w))
      }
    }
  }

  /// Adds a token string to the vocabulary unless present (as HF does); returns its id.
  @discardableResult
  mutating func addToken(_ string: String) -> Int {
    if let id = idOfString[string] { return id }
    idOfString[string] = tokenStrings.count
    tokenStrings.append(string)
    return tokenStrings.count - 1
  }

  /// The slot of a pair, created if new (or revived if merged before, which happens only when
  /// a merge reuses an existing token string).
  @inline(__always)
  mutating func slot(_ left: Int32, _ right: Int32) -> Int {
    let key = pairKey(left, right)
    if let slot = slotOfPair.value(for: key) { return slot }
    let slot = slotCount.count
    slotOfPair.add(slot, to: key)
    slotCount.append(0)
    slotLeft.append(left)
    slotRight.append(right)
    slotWords.append([])
    slotLastWord.append(-1)
    slotMerged.append(false)
    slotTouched.append(-1)
    return slot
  }

  /// Adds `count` occurrences of (left, right) in `word`.
  @inline(__always) @discardableResult
  mutating func add(_ count: Int, to left: Int32, _ right: Int32, word: Int32) -> Int {
    let s = slot(left, right)
    if slotMerged[s] {
      slotMerged[s] = false
      slotCount[s] = 0
      slotLastWord[s] = -1
    }
    slotCount[s] += count
    if slotLastWord[s] != word {
      slotLastWord[s] = word
      slotWords[s].append(word)
    }
    return s
  }

  @inline(__always)
  mutating func remove(_ count: Int, from left: Int32, _ right: Int32) {
    if let s = slotOfPair.value(for: pairKey(left, right)) { slotCount[s] -= count }
  }

  /// Merges until the vocabulary has `vocabularySize` ids or no pair is frequent enough.
  mutating func run(
    vocabularySize: Int, minimumPairCount: Int, progress: ((TrainingProgress) -> Void)?
  ) -> [LearnedMerge] {
    var heap = MinHeap(
      slotCount.indices.filter { slotCount[$0] > 0 }.map {
        PairEntry(count: slotCount[$0], left: slotLeft[$0], right: slotRight[$0], slot: Int32($0))
      })
    var learned: [LearnedMerge] = []
    let target = max(0, vocabularySize - tokenStrings.count)
    let step = max(1, target / 200)
    while tokenStrings.count < vocabularySize, let top = heap.pop() {
      let s = Int(top.slot)
      if slotMerged[s] { continue }
      let current = slotCount[s]
      if top.count != current {
        if current > 0 { heap.push(PairEntry(count: current, left: top.left, right: top.right, slot: top.slot)) }
        continue
      }
      if current < minimumPairCount { break }

      let merged = Int32(addToken(tokenStrings[Int(top.left)] + tokenStrings[Int(top.right)]))
      learned.append(
        LearnedMerge(rank: learned.count, left: Int(top.left), right: Int(top.right), merged: Int(merged), count: current))
      slotMerged[s] = true
      let words = slotWords[s]
      slotWords[s] = []
      let stamp = Int32(learned.count)
      for w in words where wordStamp[Int(w)] != stamp {
        wordStamp[Int(w)] = stamp
        mergeWord(Int(w), top.left, top.right, merged, stamp: stamp)
      }
      for t in touched {
        let slot = Int(t)
        if slotCount[slot] > 0, !slotMerged[slot] {
          heap.push(PairEntry(count: slotCount[slot], left: slotLeft[slot], right: slotRight[slot], slot: t))
        }
      }
      touched.removeAll(keepingCapacity: true)
      if let progress, learned.count % step == 0 {
        progress(TrainingProgress(phase: .merging, done: learned.count, total: target))
      }
    }
    progress?(TrainingProgress(phase: .merging, done: learned.count, total: target))
    return learned
  }

  /// Replaces every (a, b) in word `w` by `n`, left to right without overlap (as HF's
  /// `Word::merge`), moving the neighbouring pair counts.
  @inline(__always)
  mutating func mergeWord(_ w: Int, _ a: Int32, _ b: Int32, _ n: Int32, stamp: Int32) {
    let start = wordStart[w]
    let end = start + Int(wordLength[w])
    let count = wordCount[w]
    var read = start
    var write = start
    while read < end {
      if symbols[read] == a, read + 1 < end, symbols[read + 1] == b {
        if write > start {
          let previous = symbols[write - 1]
          remove(count, from: previous, a)
          addTouched(count, to: previous, n, word: Int32(w), stamp: stamp)
        }
        if read + 2 < end {
          let following = symbols[read + 2]
          remove(count, from: b, following)
          addTouched(count, to: n, following, word: Int32(w), stamp: stamp)
        }
        symbols[write] = n
        read += 2
      } else {
        symbols[write] = symbols[read]
        read += 1
      }
      write += 1
    }
    wordLength[w] = Int32(write - start)
  }

  @inline(__always)
  mutating func addTouched(_ count: Int, to left: Int32, _ right: Int32, word: Int32, stamp: Int32) {
    let s = add(count, to: left, right, word: word)
    if slotTouched[s] != stamp {
      slotTouched[s] = stamp
      touched.append(Int32(s))
    }
  }
}
