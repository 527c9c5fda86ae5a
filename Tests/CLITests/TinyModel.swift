// A tiny model trained once per test run through the binary (1 layer, width 32, context 32,
// vocabulary 320, 20 steps on the first 40 KB of the project's corpus), shared by the generate
// and chat tests so that each of them stays fast in a debug build.
import Foundation
import TestSupport
import Testing

enum TinyModel {
  /// Options of a tiny, fast training run (the data and output are added by the caller).
  static let sizes = [
    "--layers", "1", "--heads", "2", "--embedding", "32", "--context", "32", "--vocab-size", "320",
    "--batch-size", "4", "--backend", "cpu", "--threads", "1",
  ]

  /// A corpus of about `bytes` bytes cut at a line end, written into `folder`.
  static func writeCorpus(in folder: URL, bytes: Int = 40_000) throws -> URL {
    let full = try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("data/corpus_pt_br.txt"))
    var cut = min(bytes, full.count)
    while cut < full.count, full[cut - 1] != 0x0A { cut += 1 }
    let url = folder.appendingPathComponent("corpus.txt")
    try full.prefix(cut).write(to: url)
    return url
  }

  private static let shared: Result<URL, Error> = Result {
    let folder = try CLI.temporaryFolder("tinymodel")
    let corpus = try writeCorpus(in: folder)
    let model = folder.appendingPathComponent("tiny.safetensors")
    let result = try CLI.run(["train", "--data", corpus.path, "--steps", "20", "--out", model.path] + sizes)
    guard result.status == 0 else {
      throw CLIError("training the shared tiny model failed (\(result.status)): \(result.stderr)")
    }
    return model
  }

  /// The trained model (its tokenizer is tiny.tokenizer.json beside it).
  static func url() throws -> URL { try shared.get() }
}

struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
