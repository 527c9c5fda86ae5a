// `minigpt-lessons tokenizer train`: trains a byte-level BPE on a text file and saves it as a
// Hugging Face tokenizer.json (or GPT-2's vocab.json + merges.txt). Draws a progress bar on a TTY.
import ArgumentParser
import Foundation
import Tokenizer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TokenizerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenizer",
    abstract: "Train a byte-level BPE tokenizer.",
    subcommands: [Train.self])

  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train a byte-level BPE tokenizer on a text file.",
      discussion: """
        Ties between equally frequent pairs go to the pair of smallest ids, as in Hugging Face \
        tokenizers, so the result equals its BpeTrainer on the same file.
        """)

    @Option(help: "The training text (any bytes; read line by line).")
    var data: String

    @Option(name: .customLong("vocab-size"), help: "Vocabulary size, special tokens and the 256 bytes included.")
    var vocabularySize: Int

    @Option(help: "Where to write tokenizer.json (with --format gpt2: a folder for vocab.json + merges.txt).")
    var out: String

    @Option(help: "Output format: hf (tokenizer.json) or gpt2 (vocab.json + merges.txt).")
    var format: String = "hf"

    @Option(
      name: .customLong("special-tokens"), parsing: .upToNextOption,
      help: "Special tokens, given ids 0, 1, … in order.")
    var specialTokens: [String] = BPETokenizer.defaultSpecialTokens

    @Option(name: .customLong("show-merges"), help: "Print the first N merges learned, with their pair counts.")
    var showMerges: Int = 0

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
      guard format == "hf" || format == "gpt2" else { throw ValidationError("--format must be hf or gpt2") }
      guard showMerges >= 0 else { throw ValidationError("--show-merges must be 0 or more") }
    }

    func run() throws {
      let corpus = try BPETrainer.readCorpus(at: URL(fileURLWithPath: data))
      let bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) != 0)
      let start = Date()
      let result = try BPETrainer(vocabularySize: vocabularySize, specialTokens: specialTokens)
        .train(corpus: corpus, source: data) { bar.update($0) }
      bar.finish()
      let seconds = Date().timeIntervalSince(start)
      let tokenizer = result.tokenizer
      let outURL = URL(fileURLWithPath: out)
      if format == "gpt2" {
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
        try tokenizer.saveGPT2Files(
          vocabularyJSON: outURL.appendingPathComponent("vocab.json"),
          merges: outURL.appendingPathComponent("merges.txt"))
      } else {
        try tokenizer.save(to: outURL)
      }
      print(
        "trained \(tokenizer.vocabularySize) tokens (\(result.merges.count) merges) on \(corpus.count) bytes, "
          + "\(result.preTokenCount) pre-tokens (\(result.distinctPreTokenCount) distinct), in "
          + String(format: "%.2f s", seconds) + " → \(out)")
      if tokenizer.vocabularySize < vocabularySize {
        print("note: the corpus ran out of pairs before \(vocabularySize) tokens")
      }
      for merge in result.merges.prefix(showMerges) {
        let name = { (id: Int) in displayed(tokenizer.tokens[id] ?? "?") }
        print(
          "merge \(merge.rank + 1): \(name(merge.left)) + \(name(merge.right)) → \(name(merge.merged)) "
            + "(id \(merge.merged), count \(merge.count))")
      }
    }
  }
}

/// A byte-level token shown in quotes with its bytes made readable: "Ġ" as a space, "Ċ" as \n.
func displayed(_ token: String) -> String {
  guard let bytes = ByteLevel.bytes(of: token) else { return "\"" + escapedForTerminal(token) + "\"" }
  return displayed(bytes: bytes)
}

/// Bytes shown in quotes: valid UTF-8 as text, otherwise (a piece of a character) as \xNN escapes.
func displayed(bytes: [UInt8]) -> String {
  if let text = String(validating: bytes, as: UTF8.self) { return "\"" + escapedForTerminal(text) + "\"" }
  return "\""
    + bytes.map {
      (0x20..<0x7F).contains($0) && $0 != 0x22 && $0 != 0x5C
        ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0)
    }.joined() + "\""
}

/// Control characters and quotes written as escapes, so a token cannot move the cursor.
func escapedForTerminal(_ text: String) -> String {
  text.unicodeScalars.map { scalar -> String in
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    case "\"": return "\\\""
    case "\\": return "\\\\"
    default:
      return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
    }
  }.joined()
}

/// A one-line progress bar on standard error, redrawn at most every 100 ms.
final class ProgressBar {
  let enabled: Bool
  private var lastDraw = Date.distantPast

  init(enabled: Bool) { self.enabled = enabled }

  func update(_ progress: TrainingProgress) {
    guard enabled, progress.total > 0 else { return }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.done == progress.total else { return }
    lastDraw = now
    let fraction = min(1, Double(progress.done) / Double(progress.total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let label = progress.phase == .countingWords ? "counting words" : "merging"
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    let line = String(format: "\r%@ %@ %3.0f%% (%d/%d)", label, bar, fraction * 100, progress.done, progress.total)
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
  }

  func finish() {
    if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
