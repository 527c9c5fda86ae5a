// `train` through the built binary: resume continues bit for bit, Ctrl-C leaves a loadable and
// resumable checkpoint, SIGKILL during a save leaves the previous file intact, and bad input gives
// one clear error line and a non-zero status. Files are compared byte for byte and read with a
// SafeTensors header parser of the test's own (CLI.swift), not with the engine.
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.serialized) struct TrainCommandTests {
  /// No stack trace, no Swift runtime crash report: exactly one "error: …" line.
  func expectCleanError(
    _ r: CLIResult, contains text: String, status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(r.status == status, "status \(r.status); stderr: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(text), "stderr lacks \"\(text)\": \(r.stderr)", sourceLocation: sourceLocation)
    #expect(
      !r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump") && !r.stderr.contains("Current stack trace"),
      sourceLocation: sourceLocation)
  }

  @Test func resumeContinuesBitForBit() throws {
    let root = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let corpus = try TinyModel.writeCorpus(in: root, bytes: 20_000)
    let straight = root.appendingPathComponent("straight"), resumed = root.appendingPathComponent("resumed")
    for folder in [straight, resumed] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    let common = ["train", "--data", corpus.path, "--steps", "8", "--log-every", "1"] + TinyModel.sizes
    let a = try CLI.run(common + ["--out", straight.appendingPathComponent("m.safetensors").path])
    #expect(a.status == 0, "\(a.stderr)")
    let first = try CLI.run(common + ["--out", resumed.appendingPathComponent("m.safetensors").path, "--stop-after", "3"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("stopped after 3 steps at step 3"))
    let second = try CLI.run([
      "train", "--resume", "--out", resumed.appendingPathComponent("m.safetensors").path, "--log-every", "1",
    ])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("resuming at step 3"))

    // The files (parameters, AdamW m and v, step, RNG state, settings, losses) are identical.
    let x = try Data(contentsOf: straight.appendingPathComponent("m.safetensors"))
    let y = try Data(contentsOf: resumed.appendingPathComponent("m.safetensors"))
    #expect(x == y, "the resumed run's file differs from the uninterrupted run's")
    let header = try SafeTensorsHeader(contentsOf: straight.appendingPathComponent("m.safetensors"))
    #expect(header.metadata["minigpt.optimizer.step"] == "8")
    #expect(header.tensors["optimizer.m.wte.weight"] != nil)
    // The losses printed for steps 4…8 are the same in both runs.
    func lossLines(_ s: String) -> [String] {
      s.split(separator: "\n").map(String.init).filter { line in
        guard line.hasPrefix("step "), let n = Int(line.dropFirst(5).prefix { $0.isNumber }) else { return false }
        return n >= 4
      }.map { $0.components(separatedBy: "  lr")[0] }  // "step 4/8  loss 5.6758"
    }
    #expect(
      lossLines(a.stdout) == lossLines(second.stdout) && lossLines(a.stdout).count == 5, "\(a.stdout)\n---\n\(second.stdout)")
  }

  @Test func ctrlCSavesALoadableResumableCheckpoint() throws {
    let root = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let corpus = try TinyModel.writeCorpus(in: root, bytes: 20_000)
    let model = root.appendingPathComponent("m.safetensors")
    let child = try CLI.start(
      ["train", "--data", corpus.path, "--steps", "100000", "--log-every", "1", "--out", model.path] + TinyModel.sizes)
    #expect(child.waitFor { out, _ in out.contains("step 3/100000") }, "no progress: \(child.stderr)")
    child.signal(SIGINT)
    let r = try child.wait()
    #expect(r.status == 130, "status \(r.status); \(r.stderr)")
    #expect(r.stdout.contains("interrupted at step"), "\(r.stdout)")
    let header = try SafeTensorsHeader(contentsOf: model)
    let step = try #require(Int(header.metadata["minigpt.optimizer.step"] ?? ""))
    #expect(step >= 3)
    #expect(header.metadata["minigpt.training.rng_state"] != nil)
    // Loadable: generate reads it; resumable: two more steps.
    let g = try CLI.run(["generate", "--model", model.path, "--prompt", "A casa", "--max-tokens", "3"])
    #expect(g.status == 0, "\(g.stderr)")
    let more = try CLI.run(["train", "--resume", "--out", model.path, "--stop-after", "2"])
    #expect(more.status == 0, "\(more.stderr)")
    #expect(try SafeTensorsHeader(contentsOf: model).metadata["minigpt.optimizer.step"] == String(step + 2))
  }

  @Test func sigkillDuringASaveLeavesThePreviousFileIntact() throws {
    let root = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let corpus = try TinyModel.writeCorpus(in: root, bytes: 20_000)
    let model = root.appendingPathComponent("m.safetensors")
    let first = try CLI.run(["train", "--data", corpus.path, "--steps", "2", "--out", model.path] + TinyModel.sizes)
    #expect(first.status == 0, "\(first.stderr)")
    let before = try Data(contentsOf: model)
    // The test hook pauses every save between writing the temporary file and renaming it.
    let child = try CLI.start(
      ["train", "--resume", "--steps", "4", "--out", model.path],
      environment: ["MINIGPT_TEST_PAUSE_BEFORE_RENAME": "60"])
    #expect(
      child.waitFor { _, err in err.contains("test hook: pausing") }, "the save never paused: \(child.stdout) \(child.stderr)")
    let temporary = try #require(
      child.stderr.components(separatedBy: "before renaming ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(FileManager.default.fileExists(atPath: temporary), "the temporary file \(temporary) should be complete on disk")
    child.signal(SIGKILL)
    let r = try child.wait()
    #expect(r.status == 128 + SIGKILL)
    #expect(try Data(contentsOf: model) == before, "the previous checkpoint changed")
    #expect(try SafeTensorsHeader(contentsOf: model).metadata["minigpt.optimizer.step"] == "2")
    let g = try CLI.run(["generate", "--model", model.path, "--prompt", "O", "--max-tokens", "2"])
    #expect(g.status == 0, "\(g.stderr)")
  }

  @Test func defaultsAreShownAndTheTokenizerIsSavedBesideTheModel() throws {
    let root = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let corpus = try TinyModel.writeCorpus(in: root, bytes: 20_000)
    let model = root.appendingPathComponent("m.safetensors")
    let r = try CLI.run([
      "train", "--data", corpus.path, "--config", "tiny", "--layers", "1", "--embedding", "16", "--heads", "2",
      "--context", "16", "--vocab-size", "300", "--stop-after", "1", "--out", model.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("batch 16 for the CPU backend"), "\(r.stdout)")
    #expect(r.stdout.contains("lr 1e-3 for width < 512"))
    #expect(r.stdout.contains("20 epochs"))
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("m.tokenizer.json").path))
    #expect(try SafeTensorsHeader(contentsOf: model).metadata["minigpt.training.tokenizer"] == "m.tokenizer.json")
  }

  @Test func badInputGivesOneClearError() throws {
    let root = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let corpus = try TinyModel.writeCorpus(in: root, bytes: 20_000)
    let out = root.appendingPathComponent("m.safetensors").path
    expectCleanError(
      try CLI.run(["train", "--data", root.appendingPathComponent("nope.txt").path, "--out", out]),
      contains: "nope.txt: no such data file")
    expectCleanError(
      try CLI.run(["train", "--epochs", "2", "--steps", "3", "--out", out]), contains: "--epochs or --steps", status: 64)
    expectCleanError(try CLI.run(["train", "--lr", "0", "--out", out]), contains: "--lr must be", status: 64)
    expectCleanError(try CLI.run(["train", "--config", "huge", "--out", out]), contains: "--config must be one of", status: 64)
    expectCleanError(try CLI.run(["train", "--resume", "--out", out]), contains: "no checkpoint to resume")
    // Refused before allocating: GPT-2 124M with 4096 sequences of 1024 tokens needs terabytes.
    expectCleanError(
      try CLI.run(["train", "--data", corpus.path, "--config", "gpt2", "--batch-size", "4096", "--out", out]),
      contains: "GiB of memory")
    #expect(!FileManager.default.fileExists(atPath: out))

    let ok = try CLI.run(["train", "--data", corpus.path, "--steps", "1", "--out", out] + TinyModel.sizes)
    #expect(ok.status == 0, "\(ok.stderr)")
    expectCleanError(
      try CLI.run(["train", "--data", corpus.path, "--steps", "1", "--out", out] + TinyModel.sizes),
      contains: "exists; use --resume")
    expectCleanError(
      try CLI.run(["train", "--resume", "--out", out, "--batch-size", "8"]), contains: "--batch-size cannot be used with --resume"
    )
    let other = root.appendingPathComponent("other.txt")
    try Data("Um texto completamente diferente, curto demais para ser o mesmo corpus de antes.\n".utf8).write(to: other)
    expectCleanError(try CLI.run(["train", "--resume", "--out", out, "--data", other.path]), contains: "differ from the")
    let garbage = root.appendingPathComponent("garbage.safetensors")
    try Data("not a safetensors file at all".utf8).write(to: garbage)
    expectCleanError(try CLI.run(["train", "--resume", "--out", garbage.path]), contains: "garbage.safetensors")
  }
}
