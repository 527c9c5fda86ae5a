// `minigpt-lessons generate`: continues a prompt with a model (ours, or a Hugging Face GPT-2
// folder), streaming each token to standard output as it is drawn and printing statistics
// (tokens, seconds, tokens/s) on standard error. Uses the engine's GPT.generate (KV cache).
import ArgumentParser
import Foundation
import MiniGPT
import Tokenizer

/// Model and sampling options shared by generate and chat.
struct ModelOptions: ParsableArguments {
  @Option(
    help: "One of our .safetensors files or a Hugging Face GPT-2 folder (default: the shipped models/mini_gpt.safetensors).")
  var model: String?

  @Option(help: "Tokenizer file or folder (default: the one beside the model).")
  var tokenizer: String?
}

struct SamplingOptions: ParsableArguments {
  @Option(name: .customLong("max-tokens"), help: "New tokens to generate.")
  var maxTokens: Int = 50

  @Option(help: "Sampling temperature; 0 = greedy (always the most probable token).")
  var temperature: Float = 0.8

  @Option(name: .customLong("top-k"), help: "Sample only among the K most probable tokens.")
  var topK: Int?

  @Option(
    name: .customLong("top-p"), help: "Sample only among the most probable tokens whose probabilities add up to P (nucleus).")
  var topP: Float?

  @Option(help: "Seed of the sampler: the same seed gives the same text.")
  var seed: UInt64 = 42

  func validate() throws {
    guard (1...100_000).contains(maxTokens) else {
      throw ValidationError("--max-tokens must be between 1 and 100000, got \(maxTokens)")
    }
    guard temperature.isFinite, temperature >= 0, temperature <= 100 else {
      throw ValidationError("--temperature must be between 0 and 100, got \(temperature)")
    }
    if let k = topK, k < 1 { throw ValidationError("--top-k must be at least 1, got \(k)") }
    if let p = topP, !(p > 0 && p <= 1) { throw ValidationError("--top-p must be in (0, 1], got \(p)") }
  }

  var settings: SamplingSettings { SamplingSettings(temperature: temperature, topK: topK, topP: topP) }
}

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Continue a prompt with a trained model, streaming the tokens.",
    discussion: """
      The prompt is tokenised, run through the model once (prefill, filling the KV cache), then \
      one token at a time is drawn: temperature → top-k → top-p, as Hugging Face orders them; \
      --temperature 0 is greedy. The text goes to standard output as it is produced; a line of \
      statistics (tokens, seconds, tokens/s) goes to standard error. Generation stops after \
      --max-tokens or at an end-of-text token.

      --model takes one of our .safetensors files (its tokenizer beside it, as `train` writes it) \
      or a Hugging Face GPT-2 folder (model.safetensors, config.json and tokenizer.json or \
      vocab.json + merges.txt). Without a tokenizer, give token ids with --prompt-ids; ids are then \
      printed instead of text (also with --ids).

      Examples:
        minigpt-lessons generate --prompt "O Brasil é"
        minigpt-lessons generate --prompt "Era uma vez" --max-tokens 100 \\
          --temperature 0.7 --top-k 40 --seed 7
        minigpt-lessons generate --prompt "A cidade" --temperature 0
        minigpt-lessons generate --model path/to/gpt2-folder \\
          --prompt-ids 44,32,59 --temperature 0 --ids

      Shell completions: minigpt-lessons --generate-completion-script bash|zsh|fish
      """)

  @Option(help: "The text to continue.")
  var prompt: String?

  @Option(name: .customLong("prompt-ids"), help: "The prompt as comma-separated token ids (e.g. 44,32,59).")
  var promptIDs: String?

  @OptionGroup var modelOptions: ModelOptions
  @OptionGroup var sampling: SamplingOptions
  @OptionGroup var backendOptions: BackendOptions

  @Flag(help: "Print token ids instead of text.")
  var ids = false

  @Flag(name: .customLong("no-echo"), help: "Print only the new text, not the prompt.")
  var noEcho = false

  @Flag(name: .customLong("no-kv-cache"), help: "Recompute the whole prefix for every token (slow; shows why the cache exists).")
  var noKVCache = false

  func validate() throws {
    guard (prompt == nil) != (promptIDs == nil) else {
      throw ValidationError("give --prompt TEXT or --prompt-ids IDS (one of them)")
    }
    if let prompt, prompt.isEmpty { throw ValidationError("--prompt is empty") }
  }

  func run() throws {
    try reportingErrors {
      let backend = try backendOptions.make()
      let loaded = try ModelLoader.load(modelPath: modelOptions.model, tokenizerPath: modelOptions.tokenizer, backend: backend)
      try MemoryBudget.check(GPT.estimatedGenerationBytes(loaded.model.config), what: "generating with this model")
      let promptTokens = try tokens(for: loaded)
      let printIDs = ids || loaded.tokenizer == nil
      var decoder = UTF8StreamDecoder()
      if !noEcho {
        writeStandardOutput(
          printIDs ? promptTokens.map(String.init).joined(separator: " ") : decoder.append(loaded.bytes(of: promptTokens)))
      }
      var printed = !noEcho && !promptTokens.isEmpty
      let (_, stats) = try loaded.model.generate(
        prompt: promptTokens, maxNewTokens: sampling.maxTokens, sampling: sampling.settings, seed: sampling.seed,
        useCache: !noKVCache, stopTokens: loaded.stopTokens
      ) { token in
        if loaded.stopTokens.contains(token) { return false }
        if printIDs {
          writeStandardOutput((printed ? " " : "") + String(token))
        } else {
          writeStandardOutput(decoder.append(loaded.bytes(of: [token])))
        }
        printed = true
        return true
      }
      writeStandardOutput((printIDs ? "" : decoder.flush()) + "\n")
      writeStandardError(
        "\(stats.generatedTokens) tokens in " + String(format: "%.3f s: %.1f tokens/s", stats.totalSeconds, stats.tokensPerSecond)
          + " (prompt \(stats.promptTokens) tokens, prefill " + String(format: "%.1f ms", stats.prefillSeconds * 1000)
          + ", \(noKVCache ? "no KV cache" : "KV cache"); \(loaded.modelURL.path) on \(backend.deviceName))\n")
    }
  }

  private func tokens(for loaded: LoadedModel) throws -> [Int32] {
    let V = loaded.model.config.vocabSize
    if let promptIDs {
      let parts = promptIDs.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      return try parts.enumerated().map { index, text in
        guard let id = Int32(text), id >= 0, Int(id) < V else {
          throw CLIError.invalidValue("--prompt-ids: item \(index + 1) \"\(text)\" is not a token id in 0..<\(V)")
        }
        return id
      }
    }
    guard let tokenizer = loaded.tokenizer else {
      throw CLIError.missingFile(
        "\(loaded.modelURL.path) has no tokenizer beside it (tokenizer.json, vocab.json + merges.txt or "
          + "<model>.tokenizer.json); pass --tokenizer PATH, or give token ids with --prompt-ids")
    }
    let encoded = tokenizer.encode(prompt!).map { Int32($0) }
    guard !encoded.isEmpty else { throw CLIError.invalidValue("the prompt encodes to no tokens") }
    return encoded
  }
}
