// Two small open-addressing hash tables for the hot loops of training and encoding:
// `PairMap` (a pair of token ids → an integer) and `ByteStringTable` (a byte string → a dense index).
// Why not Dictionary: `[UInt8]` keys cost an allocation and SipHash per lookup; these hash raw
// bytes in place with a multiply-xorshift mix (as rustc's FxHash) and probe linearly.

/// A pair of token ids packed into one key: left in the high half, right in the low half.
@inline(__always) func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
  UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
}

/// A hash map from `pairKey` to `Int`. Keys are pairs of non-negative ids, so `UInt64.max`
/// marks an empty slot.
struct PairMap {
  private var keys: [UInt64]
  private var values: [Int]
  private var shift: UInt64
  private(set) var count = 0
  private static let empty = UInt64.max

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    keys = [UInt64](repeating: Self.empty, count: size)
    values = [Int](repeating: 0, count: size)
    shift = UInt64(64 - size.trailingZeroBitCount)
  }

  @inline(__always) private func home(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The value stored for `key`, if any.
  @inline(__always) func value(for key: UInt64) -> Int? {
    let mask = keys.count - 1
    var i = home(key)
    while true {
      let k = keys[i]
      if k == key { return values[i] }
      if k == Self.empty { return nil }
      i = (i + 1) & mask
    }
  }

  /// Adds `delta` to the value of `key` (absent keys count as 0) and returns the new value.
  @inline(__always) @discardableResult
  mutating func add(_ delta: Int, to key: UInt64) -> Int {
    let mask = keys.count - 1
    var i = home(key)
    while true {
      let k = keys[i]
      if k == key {
        values[i] += delta
        return values[i]
      }
      if k == Self.empty { break }
      i = (i + 1) & mask
    }
    keys[i] = key
    values[i] = delta
    count += 1
    if count * 2 > keys.count { grow() }
    return delta
  }

  /// Sets the value of `key`.
  mutating func set(_ value: Int, for key: UInt64) {
    let old = self.value(for: key) ?? 0
    add(value - old, to: key)
  }

  private mutating func grow() {
    let oldKeys = keys, oldValues = values
    self = PairMap(capacity: oldKeys.count)
    for (k, v) in zip(oldKeys, oldValues) where k != Self.empty { add(v, to: k) }
  }
}

/// Hashes `count` bytes at `p` (8 bytes per step, then a final avalanche).
@inline(__always) func hashBytes(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
  var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
  var i = 0
  while i + 8 <= count {
    h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 32
    i += 8
  }
  if i < count {
    var tail: UInt64 = 0
    var bits: UInt64 = 0
    while i < count {
      tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << bits
      bits += 8
      i += 1
    }
    h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 32
  }
  h ^= h >> 29
  h = h &* 0xBF58_476D_1CE4_E5B9
  return h ^ (h >> 32)
}

/// Interns byte strings: each distinct string gets the next dense index (0, 1, 2, …), its bytes
/// kept in one arena. The caller keeps per-index data (counts, cached ids) in its own arrays.
struct ByteStringTable {
  private var slots: [Int32]  // index + 1 of the string in each slot; 0 = empty
  private var hashes: [UInt64] = []
  private(set) var starts: [Int] = []
  private(set) var lengths: [Int32] = []
  private(set) var arena: [UInt8] = []

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: 0, count: size)
  }

  var count: Int { starts.count }
  var byteCount: Int { arena.count }

  /// The bytes of string `index`.
  func bytes(_ index: Int) -> ArraySlice<UInt8> {
    arena[starts[index]..<(starts[index] + Int(lengths[index]))]
  }

  /// The index of the string of `count` bytes at `p`, inserting it if new; `inserted` tells which.
  @inline(__always)
  mutating func intern(_ p: UnsafePointer<UInt8>, _ count: Int) -> (index: Int, inserted: Bool) {
    let h = hashBytes(UnsafeRawPointer(p), count)
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let s = Int(slots[i])
      if s == 0 { break }
      let index = s - 1
      if hashes[index] == h, Int(lengths[index]) == count, equal(index, p, count) { return (index, false) }
      i = (i + 1) & mask
    }
    let index = starts.count
    slots[i] = Int32(index + 1)
    hashes.append(h)
    starts.append(arena.count)
    lengths.append(Int32(count))
    arena.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    if starts.count * 2 > slots.count { rehash() }
    return (index, true)
  }

  @inline(__always) private func equal(_ index: Int, _ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    arena.withUnsafeBufferPointer { a in
      let q = a.baseAddress! + starts[index]
      var k = 0
      while k < count {
        if q[k] != p[k] { return false }
        k += 1
      }
      return true
    }
  }

  private mutating func rehash() {
    slots = [Int32](repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for (index, h) in hashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = Int32(index + 1)
    }
  }

  /// Forgets every string, keeping the allocated capacity.
  mutating func removeAll() {
    for i in slots.indices { slots[i] = 0 }
    hashes.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    lengths.removeAll(keepingCapacity: true)
    arena.removeAll(keepingCapacity: true)
  }
}
