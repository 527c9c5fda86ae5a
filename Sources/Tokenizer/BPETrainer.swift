// BPE training: count pre-token words, then repeatedly merge the most frequent adjacent pair.
// Incremental, as HF's trainer: pair counts are kept across merges and only the pairs next to a
// merged pair change; a max-heap with lazy deletion finds the best pair.
// Reference: Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword Units";
// HF tokenizers models/bpe/trainer.rs (the ordering and tie-break this file reproduces).
import Foundation

/// How far training has come, for a progress bar.
public struct TrainingProgress: Sendable, Equatable {
  public enum Phase: String, Sendable { case countingWords, merging }
  public var phase: Phase
  /// Bytes read (counting words) or merges made (merging), out of `total`.
  public var done: Int
  public var total: Int
}

/// One merge learned in training (the merge-by-merge view for lessons).
public struct LearnedMerge: Equatable, Sendable, Codable {
  /// 0 for the first merge learned; encoding applies lower ranks first.
  public var rank: Int
  public var left: Int
  public var right: Int
  public var merged: Int
  /// How many times the pair occurred in the corpus when it was merged.
  public var count: Int
}

/// What training returns: the tokenizer, every merge with its pair count, and corpus figures.
public struct TrainingResult {
  public let tokenizer: BPETokenizer
  public let merges: [LearnedMerge]
  /// Pre-tokens in the corpus, and distinct ones.
  public let preTokenCount: Int
  public let distinctPreTokenCount: Int
}

/// Trains a byte-level BPE tokenizer.
///
/// The result equals Hugging Face `tokenizers`' BpeTrainer (byte-level pre-tokenizer without prefix
/// space, the 256 byte characters as initial alphabet, the same special tokens, min_frequency 0):
/// - ids: special tokens first, then the 256 byte tokens ordered by the code point of their
///   byte-level character (`ByteLevel.bytesInVocabularyOrder`), then one id per merge;
/// - the corpus is read line by line, each line keeping its "\n" (HF reads files that way), so a
///   pre-token never spans a line end; special tokens written in the corpus are ordinary text;
/// - each step merges the pair with the highest count; **ties go to the smallest pair of ids**
///   (left id first, then right id) — i.e. the pair whose tokens were created earliest;
/// - training stops at `vocabularySize` ids, or earlier when no pair occurs `minimumPairCount` times.
public struct BPETrainer {
  public var vocabularySize: Int
  public var specialTokens: [String]
  /// A pair must occur at least this often to be merged (HF's `min_frequency`, at least 1).
  public var minimumPairCount: Int

  public init(
    vocabularySize: Int, specialTokens: [String] = BPETokenizer.defaultSpecialTokens, minimumPairCount: Int = 1
  ) {
    self.vocabularySize = vocabularySize
    self.specialTokens = specialTokens
    self.minimumPairCount = max(1, minimumPairCount)
  }

  /// Trains on `corpus` (raw bytes; invalid UTF-8 is handled as by `encode(bytes:)`). `source`
  /// names the corpus in errors. `progress` is called a few hundred times at most.
  public func train(
    corpus: [UInt8], source: String = "corpus", progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> TrainingResult {
    guard !corpus.isEmpty else { throw TokenizerError.emptyCorpus(source: source) }
    let minimum = Set(specialTokens).count + 256
    guard vocabularySize >= minimum else {
      throw TokenizerError.vocabularyTooSmall(requested: vocabularySize, minimum: minimum)
    }
    var seen = Set<String>()
    for special in specialTokens {
      guard !special.isEmpty else { throw TokenizerError.invalidSpecialToken(special, reason: "it is empty") }
      guard seen.insert(special).inserted else {
        throw TokenizerError.invalidSpecialToken(special, reason: "it is listed twice")
      }
    }
    let words = WordCounts(corpus: corpus, progress: progress)
    var state = MergeState(words: words, specialTokens: specialTokens)
    let learned = state.run(
      vocabularySize: vocabularySize, minimumPairCount: minimumPairCount, progress: progress)

    let vocabulary = state.tokenStrings.enumerated().map { ($0.element, $0.offset) }
    let added = specialTokens.map { AddedToken(id: state.idOfString[$0]!, content: $0) }
    let merges = learned.map { (state.tokenStrings[$0.left], state.tokenStrings[$0.right]) }
    let tokenizer = try BPETokenizer(
      vocabulary: vocabulary, merges: merges, addedTokens: added, options: BPEOptions(), source: source)
    return TrainingResult(
      tokenizer: tokenizer, merges: learned, preTokenCount: words.total, distinctPreTokenCount: words.table.count)
  }
}

extension BPETokenizer {
  /// Trains a tokenizer on `corpus` (see `BPETrainer` for the rules).
  public static func train(
    corpus: [UInt8], vocabularySize: Int, specialTokens: [String] = BPETokenizer.defaultSpecialTokens,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> BPETokenizer {
    try BPETrainer(vocabularySize: vocabularySize, specialTokens: specialTokens)
      .train(corpus: corpus, progress: progress).tokenizer
  }

  /// Trains a tokenizer on a text corpus.
  public static func train(
    corpus: String, vocabularySize: Int, specialTokens: [String] = BPETokenizer.defaultSpecialTokens,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> BPETokenizer {
    try train(corpus: Array(corpus.utf8), vocabularySize: vocabularySize, specialTokens: specialTokens, progress: progress)
  }
}

extension BPETrainer {
  /// Reads a corpus file (at most 4 GiB), with errors that name the file.
  public static func readCorpus(at url: URL) throws -> [UInt8] {
    try TokenizerFiles.read(url, limit: 4 << 30)
  }
}

/// The distinct pre-tokens of a corpus and how often each occurs.
struct WordCounts {
  var table = ByteStringTable(capacity: 1 << 16)
  var counts: [Int] = []
  var total = 0

  init(corpus: [UInt8], progress: ((TrainingProgress) -> Void)?) {
    let step = max(1 << 20, corpus.count / 100)
    var reported = 0
    corpus.withUnsafeBufferPointer { buffer in
      let base = buffer.baseAddress!
      var lineStart = 0
      while lineStart < buffer.count {
        // Lines keep their "\n", as HF's file reader gives them to the pre-tokenizer.
        var lineEnd = lineStart
        while lineEnd < buffer.count, base[lineEnd] != 0x0A { lineEnd += 1 }
        lineEnd = min(lineEnd + 1, buffer.count)
        var splitter = PreTokenizer(UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd]))
        while let range = splitter.next() {
          let (index, inserted) = table.intern(base + lineStart + range.lowerBound, range.count)
          if inserted { counts.append(1) } else { counts[index] += 1 }
          total += 1
        }
        lineStart = lineEnd
        if let progress, lineStart - reported >= step {
          reported = lineStart
          progress(TrainingProgress(phase: .countingWords, done: lineStart, total: buffer.count))
        }
      }
    }
  }
}
