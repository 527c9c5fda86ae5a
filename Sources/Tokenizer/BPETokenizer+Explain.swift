// "Show your work": the structured trace of an encoding, for lessons and `tokenize --explain`.
// Returns data, never prints. The ids equal `encode` (the same merge rule, via the heap path).

/// How a text was encoded, step by step.
public struct EncodingExplanation: Equatable, Sendable, Codable {
  /// One merge applied inside a pre-token.
  public struct MergeStep: Equatable, Sendable, Codable {
    /// Where the merged pair's left symbol started: its index among the pre-token's initial
    /// symbols (its byte offset, since every byte has a token).
    public var offset: Int
    public var left: Int
    public var right: Int
    /// The id of the new token (left + right).
    public var merged: Int
    /// The merge's rank: 0 = learned first; lower ranks apply first.
    public var rank: Int
  }

  /// A pre-token (or an added token cut out of the text before pre-tokenizing).
  public struct PreToken: Equatable, Sendable, Codable {
    /// The text (invalid UTF-8 shown as U+FFFD) and its bytes.
    public var text: String
    public var bytes: [UInt8]
    /// The printable byte-level form, e.g. "Ġworld" for " world".
    public var byteLevel: String
    /// True for an added/special token matched before pre-tokenization.
    public var isAddedToken: Bool
    /// The ids before any merge (one per byte).
    public var initialIDs: [Int]
    public var merges: [MergeStep]
    /// The final ids, and each one's token string in byte-level form.
    public var ids: [Int]
    public var tokens: [String]

    /// The ids after the first `count` merges (0 = `initialIDs`): replays the steps.
    public func ids(afterMerges count: Int) -> [Int] {
      var symbols = initialIDs.enumerated().map { (offset: $0.offset, id: $0.element) }
      for step in merges.prefix(count) {
        guard let i = symbols.firstIndex(where: { $0.offset == step.offset }), i + 1 < symbols.count else { continue }
        symbols[i].id = step.merged
        symbols.remove(at: i + 1)
      }
      return symbols.map(\.id)
    }
  }

  public var preTokens: [PreToken]
  /// All ids, as `encode` returns them.
  public var ids: [Int]
  /// The decoded text of each id (a piece of a multi-byte character shows as U+FFFD).
  public var pieces: [String]
}

extension BPETokenizer {
  /// Encodes `text` and records every step.
  public func explain(_ text: String, splittingAddedTokens: Bool = true) -> EncodingExplanation {
    explain(bytes: Array(text.utf8), splittingAddedTokens: splittingAddedTokens)
  }

  /// Encodes raw bytes and records every step.
  public func explain(bytes: [UInt8], splittingAddedTokens: Bool = true) -> EncodingExplanation {
    var preTokens: [EncodingExplanation.PreToken] = []
    bytes.withUnsafeBufferPointer { buffer in
      forEachSegment(buffer, splittingAddedTokens: splittingAddedTokens) { segment in
        switch segment {
        case .added(let token):
          let raw = Array(token.content.utf8)
          preTokens.append(
            .init(
              text: token.content, bytes: raw, byteLevel: token.content, isAddedToken: true, initialIDs: [token.id],
              merges: [], ids: [token.id], tokens: [token.content]))
        case .text(let range):
          var text = Array(buffer[range])
          if options.addsPrefixSpace, text.first != 0x20 { text.insert(0x20, at: 0) }
          for word in options.usesPattern ? PreTokenizer.split(text) : [text] {
            preTokens.append(explainWord(word))
          }
        }
      }
    }
    let ids = preTokens.flatMap(\.ids)
    return EncodingExplanation(
      preTokens: preTokens, ids: ids, pieces: ids.map { String(decoding: tokenBytes[$0], as: UTF8.self) })
  }

  private func explainWord(_ word: [UInt8]) -> EncodingExplanation.PreToken {
    let initial = word.withUnsafeBufferPointer { initialSymbols($0) }
    var steps: [EncodingExplanation.MergeStep] = []
    var symbols = initial
    if options.ignoresMerges, let id = tokenIDs[ByteLevel.string(of: word)] {
      symbols = [Int32(id)]
    } else {
      mergeLong(&symbols, mergeTable) { m in
        steps.append(
          .init(offset: m.offset, left: Int(m.left), right: Int(m.right), merged: Int(m.merged), rank: Int(m.rank)))
      }
    }
    let ids = symbols.map { Int($0) }
    return .init(
      text: String(decoding: word, as: UTF8.self), bytes: word, byteLevel: ByteLevel.string(of: word),
      isAddedToken: false, initialIDs: initial.map { Int($0) }, merges: steps, ids: ids,
      tokens: ids.map { tokens[$0] ?? "" })
  }
}
