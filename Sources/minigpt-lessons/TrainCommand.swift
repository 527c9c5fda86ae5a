// `minigpt-lessons train`: trains a byte-level BPE tokenizer (unless one is given) and a GPT-2 on a
// text file, with progress, validation loss and perplexity per epoch, an atomic save after every
// epoch, save-and-exit on Ctrl-C, and `--resume` that continues bit for bit (TrainingRecord.swift).
import ArgumentParser
import Foundation
import MiniGPT
import Tokenizer

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a tokenizer and a GPT-2 on a text file.",
    discussion: """
      Trains a byte-level BPE tokenizer on the data (saved next to the model as \
      <out>.tokenizer.json; or give --tokenizer), then the model, showing step, loss, tokens/s and \
      ETA (a bar on a terminal, plain lines otherwise). An epoch is ceil(training tokens / (batch × \
      context)) steps; after each one the validation loss and perplexity (e^loss) are printed and \
      the checkpoint is saved atomically (temporary file, fsync, rename).

      Defaults depend on the backend (batch size and learning rate are printed at the start). \
      A configuration that does not fit in memory is refused before anything is allocated.

      Ctrl-C saves a checkpoint (parameters, AdamW state, the batch sampler's RNG state) and exits \
      with status 130 (143 for SIGTERM); a second Ctrl-C stops at once, leaving the last save \
      intact. `--resume` continues from --out exactly where it stopped: the same steps give the \
      same parameters, bit for bit, as an uninterrupted run. With --resume, --steps or --epochs \
      set a new total (the learning-rate schedule is stretched to it).

      Examples:
        minigpt-lessons train --epochs 3 --out models/first.safetensors
        minigpt-lessons train --data my.txt --config small --steps 2000 \\
          --out models/my.safetensors
        minigpt-lessons train --layers 2 --embedding 64 --vocab-size 1024 \\
          --epochs 5 --out /tmp/t.safetensors
        minigpt-lessons train --resume --out /tmp/t.safetensors
        minigpt-lessons train --resume --out /tmp/t.safetensors --epochs 10
        minigpt-lessons train --weights-only --force
      The last two extend a finished run to 10 epochs and retrain the shipped
      model (models/README.md).

      Shell completions: minigpt-lessons --generate-completion-script bash|zsh|fish
      """)

  @Option(help: "The training text (default: data/corpus_pt_br.txt; with --resume: the file recorded in the checkpoint).")
  var data: String?

  @Option(help: "Passes over the training data (default 20).")
  var epochs: Int?

  @Option(help: "Optimizer steps in total (instead of --epochs).")
  var steps: Int?

  @Option(help: "Model preset: tiny, small or gpt2 (sizes overridable below).")
  var config: String?

  @Option(help: "Override the preset's number of layers (n_layer).") var layers: Int?
  @Option(help: "Override the preset's attention heads (n_head).") var heads: Int?
  @Option(help: "Override the preset's width (n_embd).") var embedding: Int?
  @Option(help: "Override the preset's context length (n_positions); sequences are this long.") var context: Int?

  @OptionGroup var backendOptions: BackendOptions

  @Option(help: "Where to save the model (.safetensors); the tokenizer goes beside it.")
  var out: String = ProjectFiles.shippedModel

  @Flag(help: "Continue the run saved in --out.")
  var resume = false

  @Flag(help: "Replace --out if it exists (without --resume).")
  var force = false

  @Option(
    help:
      "Use this tokenizer (tokenizer.json, or a folder with tokenizer.json or vocab.json + merges.txt) instead of training one.")
  var tokenizer: String?

  @Option(name: .customLong("vocab-size"), help: "Vocabulary of the tokenizer to train (default 2048).")
  var vocabularySize: Int?

  @Option(help: "Seed for the weights and the batches (default 1337).")
  var seed: UInt64?

  @Option(name: .customLong("batch-size"), help: "Sequences per step (default: depends on the backend).")
  var batchSize: Int?

  @Option(
    name: [.customLong("lr"), .customLong("learning-rate")], help: "Peak learning rate (default: depends on the model width).")
  var learningRate: Float?

  @Option(help: "Warm-up steps of the learning rate (default: 5 % of the steps).")
  var warmup: Int?

  @Option(name: .customLong("validation-fraction"), help: "Share of the tokens (the end of the file) held out for validation.")
  var validationFraction: Double = 0.1

  @Option(
    name: .customLong("log-every"), help: "Without a terminal: print a progress line every N steps (default: 1 % of the run).")
  var logEvery: Int?

  @Option(name: .customLong("stop-after"), help: "Run at most N steps now, save and exit; continue later with --resume.")
  var stopAfter: Int?

  @Flag(
    name: .customLong("weights-only"),
    help: "Leave the AdamW state out of the final save (3× smaller; that file cannot be resumed).")
  var weightsOnly = false

  @Flag(help: "No progress bar, even on a terminal.")
  var quiet = false

  func validate() throws {
    if epochs != nil && steps != nil { throw ValidationError("give --epochs or --steps, not both") }
    for (name, value) in [
      ("--epochs", epochs), ("--steps", steps), ("--layers", layers), ("--heads", heads),
      ("--embedding", embedding), ("--context", context), ("--batch-size", batchSize),
      ("--log-every", logEvery), ("--stop-after", stopAfter),
    ] {
      if let value, value < 1 { throw ValidationError("\(name) must be at least 1, got \(value)") }
    }
    if let b = batchSize, b > 65_536 { throw ValidationError("--batch-size \(b) is absurdly large") }
    if let e = epochs, e > 1_000_000 { throw ValidationError("--epochs \(e) is absurdly large") }
    if let w = warmup, w < 0 { throw ValidationError("--warmup must be 0 or more") }
    if let lr = learningRate, !(lr.isFinite && lr > 0 && lr < 10) {
      throw ValidationError("--lr must be a positive number below 10, got \(lr)")
    }
    guard validationFraction >= 0, validationFraction < 0.9 else {
      throw ValidationError("--validation-fraction must be in [0, 0.9), got \(validationFraction)")
    }
    if let c = config, GPTConfiguration.presets[c] == nil {
      throw ValidationError(
        "--config must be one of \(GPTConfiguration.presets.keys.sorted().joined(separator: ", ")), got \"\(c)\"")
    }
    if tokenizer != nil && vocabularySize != nil {
      throw ValidationError("--vocab-size trains a tokenizer; it cannot be combined with --tokenizer")
    }
  }

  func run() throws {
    try reportingErrors {
      let style = TextStyle(enabled: Terminal.colorEnabled())
      let backend = try backendOptions.make()
      let outURL = URL(fileURLWithPath: out)
      let setup = resume ? try resumeSetup(outURL: outURL, backend: backend) : try freshSetup(outURL: outURL, backend: backend)
      try train(setup, outURL: outURL, style: style)
    }
  }

  // MARK: The run

  private func train(_ setup: TrainingSetup, outURL: URL, style: TextStyle) throws {
    let trainer = setup.trainer
    let s = trainer.settings
    let cfg = trainer.model.config
    print(
      style.bold("train") + " \(setup.record.configName): n_layer \(cfg.layerCount), n_head \(cfg.headCount), "
        + "n_embd \(cfg.embeddingSize), n_positions \(cfg.contextLength), vocab \(cfg.vocabSize) — "
        + "\(grouped(cfg.parameterCount)) parameters on \(trainer.model.backend.deviceName)")
    print(
      "data: \(setup.record.dataPath) → \(grouped(trainer.data.tokens.count)) tokens (training "
        + "\(grouped(trainer.data.trainRange.count)), validation \(grouped(trainer.data.validationRange.count)))")
    print(
      "batch \(s.batchSize) × \(s.sequenceLength) tokens, learning rate " + String(format: "%.1e", s.schedule.maxLearningRate)
        + " (warm-up \(s.schedule.warmupSteps) step\(s.schedule.warmupSteps == 1 ? "" : "s"), cosine to "
        + String(format: "%.1e", s.schedule.minLearningRate)
        + "), AdamW weight decay \(s.adamW.weightDecay), clip \(s.adamW.gradientClip.map { "\($0)" } ?? "off"), seed \(s.seed)")
    if let note = setup.defaultsNote { print("defaults: \(note)") }
    let epochs = (s.steps + setup.record.stepsPerEpoch - 1) / setup.record.stepsPerEpoch
    print(
      "epoch = \(setup.record.stepsPerEpoch) steps; \(s.steps) steps ≈ \(epochs) epoch\(epochs == 1 ? "" : "s")"
        + (trainer.completedSteps > 0 ? "; resuming at step \(trainer.completedSteps)" : ""))
    if trainer.isFinished {
      print("already trained \(trainer.completedSteps) of \(s.steps) steps; give a larger --steps or --epochs to continue")
      return
    }

    let useBar = !quiet && Terminal.standardErrorIsTTY
    let display = TrainingProgressDisplay(
      totalSteps: s.steps, useBar: useBar, logEvery: logEvery ?? max(1, s.steps / 100),
      style: TextStyle(enabled: Terminal.colorEnabled(forStandardError: true)))
    let run = TrainingRun(
      trainer: trainer, record: setup.record, outURL: outURL, display: display,
      stopAfter: stopAfter, weightsOnlyAtEnd: weightsOnly, style: style)
    installSaveTestHook()
    InterruptSignal.install()
    defer { InterruptSignal.uninstall() }
    let start = Date()
    let outcome = try run.run()
    display.clear()
    let seconds = Date().timeIntervalSince(start)
    let resumeHint = "continue with: minigpt-lessons train --resume --out \(out)"
    switch outcome {
    case .finished:
      print(
        "done: \(trainer.completedSteps) steps in \(formatDuration(seconds)) → \(outURL.path)"
          + (weightsOnly ? " (weights only)" : ""))
    case .paused:
      print("stopped after \(stopAfter ?? 0) steps at step \(trainer.completedSteps); saved \(outURL.path); \(resumeHint)")
    case .interrupted(let signal):
      print("interrupted at step \(trainer.completedSteps); saved \(outURL.path); \(resumeHint)")
      throw ExitCode(128 + signal)
    }
  }

  /// MINIGPT_TEST_PAUSE_BEFORE_RENAME=SECONDS makes every save wait between writing the temporary
  /// file and renaming it, announcing the pause on standard error: the CLI tests kill the process
  /// there (SIGKILL) and check the previous file is intact.
  private func installSaveTestHook() {
    guard let text = ProcessInfo.processInfo.environment["MINIGPT_TEST_PAUSE_BEFORE_RENAME"],
      let seconds = Double(text), seconds > 0
    else { return }
    AtomicFile.beforeRename = { temporary in
      writeStandardError("test hook: pausing \(seconds) s before renaming \(temporary)\n")
      Thread.sleep(forTimeInterval: seconds)
    }
  }
}
