// `minigpt-lessons tokenize`: encodes a text (or a file's bytes) with a saved tokenizer and shows
// the ids and pieces; `--explain` shows every pre-token and merge, `--json` prints JSON.
import ArgumentParser
import Foundation
import Tokenizer

struct TokenizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenize",
    abstract: "Encode text with a tokenizer and show the tokens.")

  @Option(help: "A tokenizer.json, or a folder with tokenizer.json or vocab.json + merges.txt.")
  var tokenizer: String

  @Argument(help: "The text to encode.")
  var text: String?

  @Option(help: "Encode the bytes of this file instead of a text argument.")
  var file: String?

  @Flag(help: "Show the pre-tokens, their bytes and each merge applied.")
  var explain = false

  @Flag(help: "Print JSON: {\"ids\": [...], \"pieces\": [...]} (with --explain: the whole explanation).")
  var json = false

  @Flag(help: "Benchmark: time single-thread encoding of --file in 64 KiB chunks (as ../shared/bench/tok_bench.py).")
  var bench = false

  @Option(name: .customLong("ids-out"), help: ArgumentHelp("With --bench: write the ids, one per line.", visibility: .hidden))
  var idsOut: String?

  func validate() throws {
    if bench, file == nil { throw ValidationError("--bench needs --file") }
    if text != nil, file != nil { throw ValidationError("give a text or --file, not both") }
    if text == nil, file == nil { throw ValidationError("give a text to encode, or --file") }
  }

  func run() throws {
    let bpe = try BPETokenizer.load(from: URL(fileURLWithPath: tokenizer))
    let bytes = try file.map { try BPETrainer.readCorpus(at: URL(fileURLWithPath: $0)) } ?? Array(text!.utf8)
    if bench { return try runBenchmark(bpe, bytes) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if explain {
      let explanation = bpe.explain(bytes: bytes)
      if json {
        print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
      } else {
        printExplanation(explanation, bpe)
      }
      return
    }
    let ids = bpe.encode(bytes: bytes)
    let pieces = try bpe.decodePieces(ids)
    if json {
      struct Output: Encodable {
        let ids: [Int]
        let pieces: [String]
      }
      print(String(decoding: try encoder.encode(Output(ids: ids, pieces: pieces)), as: UTF8.self))
    } else {
      print("\(ids.count) tokens for \(bytes.count) bytes")
      print("ids:    " + ids.map(String.init).joined(separator: " "))
      print("pieces: " + ids.map { displayed(bytes: bpe.bytes(of: $0) ?? []) }.joined(separator: " "))
    }
  }

  private func printExplanation(_ e: EncodingExplanation, _ bpe: BPETokenizer) {
    func name(_ id: Int) -> String { displayed(bpe.tokens[id] ?? "?") }
    print("\(e.preTokens.count) pre-tokens, \(e.ids.count) tokens")
    for (k, pre) in e.preTokens.enumerated() {
      let hex = pre.bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
      let kind = pre.isAddedToken ? " (added token)" : ""
      print("\n[\(k + 1)] \"\(escapedForTerminal(pre.text))\"\(kind)  bytes: \(hex)")
      if !pre.isAddedToken {
        print("    start: " + pre.initialIDs.map(name).joined(separator: " "))
      }
      for (s, step) in pre.merges.enumerated() {
        print(
          "    merge \(s + 1) (rank \(step.rank)): \(name(step.left)) + \(name(step.right)) → \(name(step.merged)) "
            + "id \(step.merged)")
      }
      print("    ids: " + pre.ids.map(String.init).joined(separator: " "))
    }
    print("\nids:    " + e.ids.map(String.init).joined(separator: " "))
    print("pieces: " + e.ids.map { displayed(bytes: bpe.bytes(of: $0) ?? []) }.joined(separator: " "))
  }

  /// Encodes the file cut at newlines into ~64 KiB chunks, one call per chunk on one thread, as
  /// tok_bench.py's "single" figure: one untimed pass (cold cache), then the median of 3 passes.
  private func runBenchmark(_ bpe: BPETokenizer, _ bytes: [UInt8]) throws {
    var chunks: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
      var end = min(start + 65536, bytes.count)
      if end < bytes.count, let newline = bytes[start..<end].lastIndex(of: 0x0A) { end = newline + 1 }
      chunks.append(Array(bytes[start..<end]))
      start = end
    }
    func pass() -> (Double, [Int]) {
      let t0 = DispatchTime.now().uptimeNanoseconds
      var ids: [Int] = []
      for chunk in chunks { ids.append(contentsOf: bpe.encode(bytes: chunk)) }
      return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, ids)
    }
    let (cold, ids) = pass()
    let warm = (0..<3).map { _ in pass().0 }.sorted()[1]
    let megabytes = Double(bytes.count) / 1e6
    let roundTrip = try bpe.decodeBytes(ids) == bytes
    print(
      String(
        format:
          "{\"bytes\": %d, \"chunks\": %d, \"tokens\": %d, \"single_MBps\": %.3f, \"single_cold_MBps\": %.3f, \"roundtrip_ok\": %@}",
        bytes.count, chunks.count, ids.count, megabytes / warm, megabytes / cold, roundTrip ? "true" : "false"))
    if let idsOut {
      try Data(ids.map(String.init).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: idsOut))
    }
  }
}
