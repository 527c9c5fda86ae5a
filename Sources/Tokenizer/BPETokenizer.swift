// BPETokenizer: a GPT-2 style byte-level BPE — vocabulary, merges, added (special) tokens —
// with encode, decode and explain. Built by training (BPETrainer), from a Hugging Face
// tokenizer.json, or from GPT-2's vocab.json + merges.txt.
// Reference: Sennrich et al. 2016 (BPE for words); Radford et al. 2019 (GPT-2, byte-level BPE).
import Foundation

/// A token matched in the text before pre-tokenization (HF's "added tokens"); special tokens
/// (`<PAD>`, `<EOS>`, `<|endoftext|>`) are added tokens with `isSpecial`.
public struct AddedToken: Equatable, Sendable {
  public var id: Int
  public var content: String
  public var isSpecial: Bool
  /// Whether a match also swallows the whitespace on its left / right (HF `lstrip` / `rstrip`).
  public var stripsLeft: Bool
  public var stripsRight: Bool

  public init(id: Int, content: String, isSpecial: Bool = true, stripsLeft: Bool = false, stripsRight: Bool = false) {
    self.id = id
    self.content = content
    self.isSpecial = isSpecial
    self.stripsLeft = stripsLeft
    self.stripsRight = stripsRight
  }
}

/// Settings read from (and written to) a tokenizer.json.
public struct BPEOptions: Equatable, Sendable {
  /// Prepend a space to text that does not start with one (HF ByteLevel `add_prefix_space`).
  public var addsPrefixSpace = false
  /// Split with the GPT-2 pattern (HF ByteLevel `use_regex`); false = each text is one pre-token.
  public var usesPattern = true
  /// Emit a pre-token whole when it is in the vocabulary (HF BPE `ignore_merges`).
  public var ignoresMerges = false
  /// The token for bytes missing from the vocabulary (HF `unk_token`); nil drops them, as HF does.
  public var unknownToken: String? = nil
  /// Fuse consecutive unknown bytes into one unknown token (HF `fuse_unk`).
  public var fusesUnknown = false

  public init() {}
}

/// A byte-level BPE tokenizer. Thread-safe: the per-word cache is behind a lock.
public final class BPETokenizer: @unchecked Sendable {
  /// The special tokens of the original Mini-GPT, with ids 0–3 in this order.
  public static let defaultSpecialTokens = ["<PAD>", "<UNK>", "<BOS>", "<EOS>"]

  /// The token string of each id: the byte-level form ("Ġthe") for vocabulary tokens, the
  /// content for added tokens, nil for an id no token uses.
  public let tokens: [String?]
  /// The learned merges by rank (rank 0 first): (left id, right id, merged id).
  public let merges: [(left: Int, right: Int, merged: Int)]
  /// The added tokens (specials first), by id.
  public let addedTokens: [AddedToken]
  public let options: BPEOptions

  let tokenBytes: [[UInt8]]  // what each id decodes to
  let tokenIDs: [String: Int]  // every vocabulary and added token string → id
  let byteIDs: [Int32]  // the id of each single-byte token, -1 if missing
  let mergeTable: MergeTable
  let unknownID: Int32?
  let specialMatcher: AddedTokenMatcher?
  let plainMatcher: AddedTokenMatcher?
  let cache = WordCache()

  /// Builds a tokenizer from a byte-level vocabulary (token string → id), merges (pairs of token
  /// strings, by rank) and special tokens; a special token not in the vocabulary gets the next id.
  /// Errors name `source` (a file path, or "vocabulary" for values built in code).
  public convenience init(
    vocabulary: [String: Int], merges: [(String, String)],
    specialTokens: [String] = BPETokenizer.defaultSpecialTokens, options: BPEOptions = BPEOptions(),
    source: String = "vocabulary"
  ) throws {
    var added: [AddedToken] = []
    var nextID = (vocabulary.values.max() ?? -1) + 1
    for special in specialTokens {
      if let id = vocabulary[special] {
        added.append(AddedToken(id: id, content: special))
      } else {
        added.append(AddedToken(id: nextID, content: special))
        nextID += 1
      }
    }
    try self.init(
      vocabulary: vocabulary.map { ($0.key, $0.value) }, merges: merges, addedTokens: added, options: options,
      source: source)
  }

  /// The designated initializer: validates everything (hostile files end here).
  init(
    vocabulary: [(String, Int)], merges: [(String, String)], addedTokens: [AddedToken], options: BPEOptions,
    source: String
  ) throws {
    let (tokens, ids) = try Self.tokenTable(vocabulary, addedTokens, source: source)
    var byteIDs = [Int32](repeating: -1, count: 256)
    for byte in 0..<256 {
      if let id = ids[String(ByteLevel.characters[byte])] { byteIDs[byte] = Int32(id) }
    }
    var unknownID: Int32? = nil
    if let unknown = options.unknownToken {
      guard let id = ids[unknown] else {
        throw TokenizerError.invalidFile(
          path: source, field: "model.unk_token", problem: "token \(quoted(unknown)) is not in the vocabulary")
      }
      unknownID = Int32(id)
    }
    let (table, mergeList) = try Self.mergeTable(merges, ids, source: source)
    let addedIDs = Set(addedTokens.map(\.id))
    self.tokens = tokens
    self.merges = mergeList
    self.addedTokens = addedTokens.sorted { $0.id < $1.id }
    self.options = options
    self.tokenIDs = ids
    self.byteIDs = byteIDs
    self.mergeTable = table
    self.unknownID = unknownID
    self.tokenBytes = tokens.enumerated().map { id, token in
      guard let token else { return [] }
      return addedIDs.contains(id) ? Array(token.utf8) : ByteLevel.decodedBytes(of: token)
    }
    self.specialMatcher = AddedTokenMatcher(addedTokens.filter(\.isSpecial))
    self.plainMatcher = AddedTokenMatcher(addedTokens.filter { !$0.isSpecial })
  }

  /// id → token and token → id, refusing negative, duplicate, conflicting or absurdly large ids.
  private static func tokenTable(
    _ vocabulary: [(String, Int)], _ addedTokens: [AddedToken], source: String
  ) throws -> ([String?], [String: Int]) {
    let entries = vocabulary.count + addedTokens.count
    guard let maxID = (vocabulary.map { $0.1 } + addedTokens.map { $0.id }).max() else {
      throw TokenizerError.invalidFile(path: source, field: "model.vocab", problem: "the vocabulary is empty")
    }
    if let (token, id) = vocabulary.first(where: { $0.1 < 0 }) {
      throw TokenizerError.invalidFile(path: source, field: "model.vocab[\(quoted(token))]", problem: "id \(id) is negative")
    }
    if let added = addedTokens.first(where: { $0.id < 0 }) {
      throw TokenizerError.invalidFile(
        path: source, field: "added_tokens[\(quoted(added.content))]", problem: "id \(added.id) is negative")
    }
    // Ids index arrays: bound them by the number of entries so a hostile id cannot allocate gigabytes.
    let idLimit = min(1 << 24, 2 * entries + 1024)
    guard maxID < idLimit else {
      throw TokenizerError.invalidFile(
        path: source, field: "model.vocab",
        problem: "the largest id is \(maxID), too large for \(entries) tokens (at most \(idLimit - 1))")
    }
    var tokens = [String?](repeating: nil, count: maxID + 1)
    var ids: [String: Int] = [:]
    ids.reserveCapacity(entries)
    for (token, id) in vocabulary {
      if let other = tokens[id] {
        throw TokenizerError.invalidFile(
          path: source, field: "model.vocab[\(quoted(token))]",
          problem: "id \(id) is also the id of \(quoted(other)); ids must be unique")
      }
      tokens[id] = token
      ids[token] = id
    }
    for added in addedTokens {
      let field = "added_tokens[\(quoted(added.content))]"
      guard !added.content.isEmpty else {
        throw TokenizerError.invalidFile(path: source, field: field, problem: "an added token cannot be empty")
      }
      if let other = tokens[added.id], other != added.content {
        throw TokenizerError.invalidFile(
          path: source, field: field, problem: "id \(added.id) is already the id of \(quoted(other))")
      }
      if let other = ids[added.content], other != added.id {
        throw TokenizerError.invalidFile(
          path: source, field: field, problem: "the vocabulary gives this token id \(other), not \(added.id)")
      }
      tokens[added.id] = added.content
      ids[added.content] = added.id
    }
    return (tokens, ids)
  }

  /// The merge table, refusing merges whose parts or result are not in the vocabulary.
  private static func mergeTable(
    _ merges: [(String, String)], _ ids: [String: Int], source: String
  ) throws -> (MergeTable, [(left: Int, right: Int, merged: Int)]) {
    var table = PairMap(capacity: merges.count)
    var list: [(left: Int, right: Int, merged: Int)] = []
    list.reserveCapacity(merges.count)
    for (rank, (left, right)) in merges.enumerated() {
      let field = "model.merges[\(rank)]"
      guard let l = ids[left] else {
        throw TokenizerError.invalidFile(path: source, field: field, problem: "token \(quoted(left)) is not in the vocabulary")
      }
      guard let r = ids[right] else {
        throw TokenizerError.invalidFile(path: source, field: field, problem: "token \(quoted(right)) is not in the vocabulary")
      }
      guard let m = ids[left + right] else {
        throw TokenizerError.invalidFile(
          path: source, field: field, problem: "the merged token \(quoted(left + right)) is not in the vocabulary")
      }
      // A repeated pair keeps its last rank, as HF's merge map does.
      table.set(rank << 32 | m, for: pairKey(Int32(l), Int32(r)))
      list.append((l, r, m))
    }
    return (MergeTable(map: table), list)
  }

  /// The number of ids (the largest id + 1): the size of a model's embedding table.
  public var vocabularySize: Int { tokens.count }

  /// The id of a token string (byte-level form, or an added token's content).
  public func id(of token: String) -> Int? { tokenIDs[token] }

  /// The special tokens, by id.
  public var specialTokens: [AddedToken] { addedTokens.filter(\.isSpecial) }

  // MARK: Decoding

  /// The bytes that `ids` decode to. Throws on an id that names no token.
  public func decodeBytes(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(ids.count * 4)
    for (position, id) in ids.enumerated() {
      guard id >= 0, id < tokens.count, tokens[id] != nil else {
        throw TokenizerError.unknownTokenID(id, position: position, vocabularySize: tokens.count)
      }
      if skipSpecialTokens, isSpecial(id) { continue }
      out.append(contentsOf: tokenBytes[id])
    }
    return out
  }

  /// The text of `ids`; bytes that are not valid UTF-8 (a multi-byte character cut between ids
  /// that are not all there) become U+FFFD, as in HF's decoder.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
    String(decoding: try decodeBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
  }

  /// The text of each id on its own (for showing tokens; a piece of a multi-byte character shows
  /// as U+FFFD).
  public func decodePieces(_ ids: [Int]) throws -> [String] {
    try ids.enumerated().map { position, id in
      guard id >= 0, id < tokens.count, tokens[id] != nil else {
        throw TokenizerError.unknownTokenID(id, position: position, vocabularySize: tokens.count)
      }
      return String(decoding: tokenBytes[id], as: UTF8.self)
    }
  }

  /// The raw bytes of one token, or nil for an unknown id.
  public func bytes(of id: Int) -> [UInt8]? {
    guard id >= 0, id < tokens.count, tokens[id] != nil else { return nil }
    return tokenBytes[id]
  }

  func isSpecial(_ id: Int) -> Bool {
    addedTokens.contains { $0.id == id && $0.isSpecial }
  }
}
