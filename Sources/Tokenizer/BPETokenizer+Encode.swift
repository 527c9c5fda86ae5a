// Encoding: added tokens are cut out of the text first, the rest is pre-tokenized with the GPT-2
// pattern, and each pre-token goes through the merges (with a per-word cache, as HF's BPE has).
// Reference: HF tokenizers tokenizer/added_vocabulary.rs (leftmost-longest matching, specials
// first) and models/bpe/model.rs (`merge_word`, the unknown-token rules).
import Foundation

extension BPETokenizer {
  /// The token ids of `text`. Added tokens (`<EOS>`, …) written in the text become their ids
  /// unless `splittingAddedTokens` is false, in which case they are ordinary text.
  public func encode(_ text: String, splittingAddedTokens: Bool = true) -> [Int] {
    var text = text
    return text.withUTF8 { encode(buffer: $0, splittingAddedTokens: splittingAddedTokens) }
  }

  /// The token ids of raw bytes, e.g. a file's content. Bytes that are not valid UTF-8 are each
  /// their own character of class "other" for the pre-tokenizer and are encoded by their byte
  /// tokens, so `decodeBytes(encode(bytes: b)) == b` for any bytes.
  public func encode(bytes: [UInt8], splittingAddedTokens: Bool = true) -> [Int] {
    bytes.withUnsafeBufferPointer { encode(buffer: $0, splittingAddedTokens: splittingAddedTokens) }
  }

  func encode(buffer: UnsafeBufferPointer<UInt8>, splittingAddedTokens: Bool) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(buffer.count / 3 + 1)
    cache.lock.lock()
    defer { cache.lock.unlock() }
    forEachSegment(buffer, splittingAddedTokens: splittingAddedTokens) { segment in
      switch segment {
      case .added(let token):
        out.append(token.id)
      case .text(let range):
        encodeText(UnsafeBufferPointer(rebasing: buffer[range]), into: &out)
      }
    }
    return out
  }

  /// One piece of the input: plain text, or an added token matched in it.
  enum Segment {
    case text(Range<Int>)
    case added(AddedToken)
  }

  /// Cuts `buffer` at added tokens: special ones first, then the others in the remaining text
  /// (HF's order); empty text between matches is skipped.
  func forEachSegment(
    _ buffer: UnsafeBufferPointer<UInt8>, splittingAddedTokens: Bool, _ body: (Segment) -> Void
  ) {
    guard buffer.count > 0 else { return }
    guard splittingAddedTokens, specialMatcher != nil || plainMatcher != nil else {
      body(.text(0..<buffer.count))
      return
    }
    func emitPlain(_ range: Range<Int>) {
      if let plain = plainMatcher {
        plain.split(buffer, range) { body($0) }
      } else if !range.isEmpty {
        body(.text(range))
      }
    }
    if let special = specialMatcher {
      special.split(buffer, 0..<buffer.count) { segment in
        if case .text(let range) = segment { emitPlain(range) } else { body(segment) }
      }
    } else {
      emitPlain(0..<buffer.count)
    }
  }

  /// Pre-tokenizes one text segment and appends the ids of its pre-tokens.
  func encodeText(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
    if options.addsPrefixSpace, text.first != 0x20 {
      var prefixed: [UInt8] = [0x20]
      prefixed.append(contentsOf: text)
      prefixed.withUnsafeBufferPointer { encodePreTokens($0, into: &out) }
    } else {
      encodePreTokens(text, into: &out)
    }
  }

  private func encodePreTokens(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
    guard let base = text.baseAddress, text.count > 0 else { return }
    guard options.usesPattern else {
      encodeWord(base, text.count, into: &out)
      return
    }
    var splitter = PreTokenizer(text)
    while let range = splitter.next() {
      // One byte never merges: skip the cache (punctuation and newlines are common).
      if range.count == 1, !options.ignoresMerges {
        let id = byteIDs[Int(base[range.lowerBound])]
        if id >= 0 {
          out.append(Int(id))
          continue
        }
      }
      encodeWord(base + range.lowerBound, range.count, into: &out)
    }
  }

  /// Appends the ids of one pre-token, through the cache.
  @inline(__always)
  private func encodeWord(_ p: UnsafePointer<UInt8>, _ count: Int, into out: inout [Int]) {
    if count > WordCache.longestCachedWord {
      for id in wordIDs(UnsafeBufferPointer(start: p, count: count)) { out.append(Int(id)) }
      return
    }
    let (index, inserted) = cache.words.intern(p, count)
    if inserted {
      let ids = wordIDs(UnsafeBufferPointer(start: p, count: count))
      cache.starts.append(cache.values.count)
      cache.values.append(contentsOf: ids)
      cache.lengths.append(Int32(ids.count))
      for id in ids { out.append(Int(id)) }
      if cache.words.count >= WordCache.capacity { cache.clear() }
    } else {
      let start = cache.starts[index]
      for k in start..<(start + Int(cache.lengths[index])) { out.append(Int(cache.values[k])) }
    }
  }

  /// The ids of one pre-token, without the cache.
  func wordIDs(_ word: UnsafeBufferPointer<UInt8>) -> [Int32] {
    if options.ignoresMerges, let id = tokenIDs[ByteLevel.string(of: word)] { return [Int32(id)] }
    var symbols = initialSymbols(word)
    applyMerges(&symbols, mergeTable)
    return symbols
  }

  /// One symbol per byte; a byte with no token becomes the unknown token (fused with unknown
  /// neighbours when `fusesUnknown`) or, with no unknown token, is dropped — HF's rules.
  func initialSymbols(_ word: UnsafeBufferPointer<UInt8>) -> [Int32] {
    var symbols: [Int32] = []
    symbols.reserveCapacity(word.count)
    var previousWasUnknown = false
    for byte in word {
      let id = byteIDs[Int(byte)]
      if id >= 0 {
        symbols.append(id)
        previousWasUnknown = false
      } else if let unknown = unknownID {
        if !(options.fusesUnknown && previousWasUnknown) { symbols.append(unknown) }
        previousWasUnknown = true
      }
    }
    return symbols
  }
}

/// The per-word cache: pre-token bytes → ids. Cleared when full, so memory stays bounded.
final class WordCache {
  static let capacity = 1 << 18
  static let longestCachedWord = 256
  let lock = NSLock()
  var words = ByteStringTable(capacity: 4096)
  var starts: [Int] = []
  var lengths: [Int32] = []
  var values: [Int32] = []

  func clear() {
    words.removeAll()
    starts.removeAll(keepingCapacity: true)
    lengths.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
  }
}

/// Finds added tokens in text: leftmost match first, the longest one where several start there
/// (HF's Aho-Corasick LeftmostLongest), with the `lstrip`/`rstrip` whitespace rules.
struct AddedTokenMatcher {
  let candidates: [(bytes: [UInt8], token: AddedToken)]  // longest first
  let startsToken: [Bool]  // by first byte

  init?(_ tokens: [AddedToken]) {
    guard !tokens.isEmpty else { return nil }
    candidates = tokens.map { (Array($0.content.utf8), $0) }.sorted { $0.bytes.count > $1.bytes.count }
    var starts = [Bool](repeating: false, count: 256)
    for c in candidates { starts[Int(c.bytes[0])] = true }
    startsToken = starts
  }

  /// Calls `body` with the text pieces and the tokens of `range`, in order.
  func split(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (BPETokenizer.Segment) -> Void) {
    var textStart = range.lowerBound
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
      guard startsToken[Int(buffer[i])], let token = match(buffer, i, end) else {
        i += 1
        continue
      }
      var matchStart = i
      var matchEnd = i + token.content.utf8.count
      if token.stripsLeft {
        while matchStart > textStart, let w = whitespaceBefore(buffer, matchStart, textStart) { matchStart -= w }
      }
      if token.stripsRight {
        while matchEnd < end, let w = whitespaceAt(buffer, matchEnd, end) { matchEnd += w }
      }
      if matchStart > textStart { body(.text(textStart..<matchStart)) }
      body(.added(token))
      textStart = matchEnd
      i = matchEnd
    }
    if end > textStart { body(.text(textStart..<end)) }
  }

  private func match(_ buffer: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> AddedToken? {
    for c in candidates where c.bytes.count <= end - i && c.bytes[0] == buffer[i] {
      var k = 1
      while k < c.bytes.count, buffer[i + k] == c.bytes[k] { k += 1 }
      if k == c.bytes.count { return c.token }
    }
    return nil
  }

  /// The UTF-8 length of the whitespace character starting at `i`, or nil.
  private func whitespaceAt(_ buffer: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
    let (cls, length) = characterClass(buffer.baseAddress!, i, end)
    return cls == .whitespace ? length : nil
  }

  /// The UTF-8 length of the whitespace character ending at `i`, or nil.
  private func whitespaceBefore(_ buffer: UnsafeBufferPointer<UInt8>, _ i: Int, _ start: Int) -> Int? {
    var s = i - 1
    while s > start, i - s < 4, buffer[s] & 0xC0 == 0x80 { s -= 1 }
    guard let length = whitespaceAt(buffer, s, i), s + length == i else { return nil }
    return length
  }
}
