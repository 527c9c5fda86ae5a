// Applying learned merges to one pre-token: repeatedly merge the adjacent pair with the lowest
// merge rank, the leftmost one on a tie, until no adjacent pair has a merge.
// Reference: HF tokenizers models/bpe/word.rs `merge_all` (a min-heap on (rank, position));
// GPT-2's encoder.py `bpe` gives the same result. Two implementations of the same rule:
// `mergeShort` (an array of ranks, O(n²), fastest for ordinary words) and `mergeLong` (a heap and
// a linked list, O(n log n), so a hostile 1 MB "word" cannot hang the encoder). Tests check both
// against a naive twin.

/// The merge table: `pairKey(left, right)` → `rank << 32 | mergedID`.
struct MergeTable {
  var map: PairMap
  static let absent = Int.max

  /// `rank << 32 | id` of the merge of this pair, or `absent`.
  @inline(__always) func packed(_ left: Int32, _ right: Int32) -> Int {
    map.value(for: pairKey(left, right)) ?? Self.absent
  }
}

/// One merge applied while encoding: the pair's left symbol started at `offset` in the initial
/// symbol list (the byte offset in the pre-token when every byte has a token).
struct AppliedMerge {
  var offset: Int
  var left: Int32
  var right: Int32
  var merged: Int32
  var rank: Int32
}

/// Words up to this many symbols take the array path.
let shortWordLimit = 64

/// Merges `symbols` in place (fast path, no record).
@inline(__always)
func applyMerges(_ symbols: inout [Int32], _ table: MergeTable) {
  if symbols.count < 2 { return }
  if symbols.count <= shortWordLimit {
    mergeShort(&symbols, table)
  } else {
    mergeLong(&symbols, table, record: nil)
  }
}

/// The array path: `ranks[i]` holds the packed merge of (symbols[i], symbols[i+1]); each step
/// scans for the minimum, merges, and recomputes only the two neighbouring entries.
func mergeShort(_ symbols: inout [Int32], _ table: MergeTable) {
  var n = symbols.count
  withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { ranks in
    symbols.withUnsafeMutableBufferPointer { s in
      for i in 0..<(n - 1) { ranks[i] = table.packed(s[i], s[i + 1]) }
      while n > 1 {
        var best = 0
        var bestValue = ranks[0]
        for i in 1..<(n - 1) where ranks[i] < bestValue {
          best = i
          bestValue = ranks[i]
        }
        if bestValue == MergeTable.absent { break }
        s[best] = Int32(truncatingIfNeeded: bestValue)
        // Remove symbol best+1 and the rank of the pair it started.
        var k = best + 1
        while k < n - 1 {
          s[k] = s[k + 1]
          ranks[k] = ranks[k + 1]
          k += 1
        }
        n -= 1
        if best > 0 { ranks[best - 1] = table.packed(s[best - 1], s[best]) }
        if best < n - 1 { ranks[best] = table.packed(s[best], s[best + 1]) }
      }
    }
  }
  symbols.removeLast(symbols.count - n)
}

/// The heap path, optionally recording every merge applied (for explanations).
func mergeLong(_ symbols: inout [Int32], _ table: MergeTable, record: ((AppliedMerge) -> Void)?) {
  let n = symbols.count
  if n < 2 { return }
  var next = [Int](0..<n).map { $0 + 1 }  // n = none
  var prev = [Int](0..<n).map { $0 - 1 }  // -1 = none
  var alive = [Bool](repeating: true, count: n)
  // Heap entries order by (rank, position): the packed merge value has the rank in its high
  // bits, so (packed, position) compares the way HF's Merge ordering does.
  var heap = MinHeap<HeapEntry>()
  for i in 0..<(n - 1) {
    let m = table.packed(symbols[i], symbols[i + 1])
    if m != MergeTable.absent { heap.push(HeapEntry(packed: m, position: i)) }
  }
  while let top = heap.pop() {
    let i = top.position
    guard alive[i], next[i] < n else { continue }
    let j = next[i]
    // Skip an entry made stale by an earlier merge of either symbol.
    guard table.packed(symbols[i], symbols[j]) == top.packed else { continue }
    let merged = Int32(truncatingIfNeeded: top.packed)
    record?(
      AppliedMerge(
        offset: i, left: symbols[i], right: symbols[j], merged: merged, rank: Int32(top.packed >> 32)))
    symbols[i] = merged
    alive[j] = false
    next[i] = next[j]
    if next[j] < n { prev[next[j]] = i }
    if prev[i] >= 0 {
      let m = table.packed(symbols[prev[i]], merged)
      if m != MergeTable.absent { heap.push(HeapEntry(packed: m, position: prev[i])) }
    }
    if next[i] < n {
      let m = table.packed(merged, symbols[next[i]])
      if m != MergeTable.absent { heap.push(HeapEntry(packed: m, position: i)) }
    }
  }
  var out: [Int32] = []
  out.reserveCapacity(n)
  var i = 0
  while i < n {
    out.append(symbols[i])
    i = next[i]
  }
  symbols = out
}

struct HeapEntry: Comparable {
  var packed: Int
  var position: Int
  static func < (a: HeapEntry, b: HeapEntry) -> Bool {
    a.packed != b.packed ? a.packed < b.packed : a.position < b.position
  }
}

/// A binary min-heap (the standard library has none).
struct MinHeap<Element: Comparable> {
  private(set) var items: [Element] = []

  init() {}
  /// Builds a heap from `items` in O(n).
  init(_ items: [Element]) {
    self.items = items
    var i = items.count / 2 - 1
    while i >= 0 {
      siftDown(i)
      i -= 1
    }
  }

  var isEmpty: Bool { items.isEmpty }
  var count: Int { items.count }

  mutating func push(_ element: Element) {
    items.append(element)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      if !(items[i] < items[parent]) { break }
      items.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> Element? {
    guard let last = items.popLast() else { return nil }
    guard !items.isEmpty else { return last }
    let top = items[0]
    items[0] = last
    siftDown(0)
    return top
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    let n = items.count
    while true {
      let l = 2 * i + 1
      if l >= n { return }
      var smallest = l
      if l + 1 < n, items[l + 1] < items[l] { smallest = l + 1 }
      if !(items[smallest] < items[i]) { return }
      items.swapAt(i, smallest)
      i = smallest
    }
  }
}
