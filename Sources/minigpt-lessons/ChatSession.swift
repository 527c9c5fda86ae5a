// The chat's state and its slash commands. The model is a plain language model, so an answer is
// the continuation of the conversation so far (earlier turns + the new text), cut to the context
// length. Answer n (from 0) is drawn with seed + n, so a session replays exactly, and the first
// answer equals `generate --seed S --no-echo` on the same text.
import Foundation
import MiniGPT
import Tokenizer

final class ChatSession {
  enum Outcome { case keepGoing, quit }

  let loaded: LoadedModel
  let tokenizer: BPETokenizer
  let explainer: ChatExplainer
  let strings: ChatStrings
  let style: TextStyle
  let educational: Bool
  let showTensors: Bool
  /// A terminal: answers get a prefix; piped: only the text.
  let interactive: Bool

  var sampling: SamplingSettings
  var maxTokens: Int
  var seed: UInt64
  private var turn: UInt64 = 0
  private var history: [Int32] = []
  private var lastAnswer: (input: (text: String, tokens: [Int32]), trace: GenerationTrace, sampling: SamplingSettings)?
  private var answers = 0, generatedTokens = 0, generationSeconds = 0.0

  init(
    loaded: LoadedModel, tokenizer: BPETokenizer, options: SamplingOptions, educational: Bool, showTensors: Bool,
    language: Language, style: TextStyle, interactive: Bool
  ) {
    self.loaded = loaded
    self.tokenizer = tokenizer
    self.strings = language.strings
    self.style = style
    self.educational = educational
    self.showTensors = showTensors
    self.interactive = interactive
    self.sampling = options.settings
    self.maxTokens = options.maxTokens
    self.seed = options.seed
    explainer = ChatExplainer(
      tokenizer: tokenizer, strings: language.strings, style: style,
      vocabularySize: loaded.model.config.vocabSize, contextLength: loaded.model.config.contextLength)
  }

  func say(_ lines: [String]) { writeStandardOutput(lines.joined(separator: "\n") + "\n") }
  func complain(_ text: String) { writeStandardError("error: " + text + "\n") }

  func handle(_ rawLine: String) -> Outcome {
    let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !line.isEmpty else { return .keepGoing }
    guard line.hasPrefix("/") else {
      answer(line)
      return .keepGoing
    }
    let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
    let command = parts[0].lowercased(), argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    switch command {
    case "/quit", "/exit", "/sair":
      return .quit
    case "/help", "/ajuda", "/?":
      say([strings.help])
    case "/tokens-demo":
      let text = Self.unquoted(argument)
      guard !text.isEmpty else { complain(strings.usage("/tokens-demo \"text\"")); break }
      say(explainer.tokensDemo(text))
    case "/explain":
      guard let last = lastAnswer else { complain(strings.nothingToExplain); break }
      say(explainer.explanation(input: last.input, trace: last.trace, sampling: last.sampling, maxSteps: nil))
      if let snapshot = last.trace.snapshot { say(explainer.tensors(snapshot, embeddingSize: loaded.model.config.embeddingSize)) }
    case "/temp", "/temperature":
      guard let t = Float(argument), t.isFinite, t >= 0, t <= 100 else { complain(strings.usage("/temp X (0 ≤ X ≤ 100)")); break }
      sampling.temperature = t
      say([strings.setTo(strings.words.temperature, String(format: "%g", t))])
    case "/tokens":
      guard let n = Int(argument), (1...100_000).contains(n) else { complain(strings.usage("/tokens N (1 ≤ N ≤ 100000)")); break }
      maxTokens = n
      say([strings.setTo(strings.words.maxTokens, String(n))])
    case "/topk":
      guard let k = Int(argument), k >= 0 else { complain(strings.usage("/topk K (K ≥ 1, 0 = off)")); break }
      sampling.topK = k == 0 ? nil : k
      say([strings.setTo("top-k", k == 0 ? strings.off : String(k))])
    case "/topp":
      guard let p = Float(argument), p > 0, p <= 1 else { complain(strings.usage("/topp P (0 < P ≤ 1, 1 = off)")); break }
      sampling.topP = p == 1 ? nil : p
      say([strings.setTo("top-p", p == 1 ? strings.off : String(format: "%g", p))])
    case "/seed":
      guard let s = UInt64(argument) else { complain(strings.usage("/seed N (N ≥ 0)")); break }
      seed = s
      turn = 0
      say([strings.setTo(strings.words.seed, String(s))])
    case "/stats":
      say(stats())
    case "/reset":
      history = []
      say([strings.conversationCleared])
    default:
      complain(strings.unknownCommand(command))
    }
    return .keepGoing
  }

  private func answer(_ text: String) {
    // Turns are separated by a line break, as paragraphs are in the training text.
    let inputTokens = tokenizer.encode(history.isEmpty ? text : "\n" + text).map { Int32($0) }
    let prompt = history + inputTokens
    if educational { say(explainer.tokenization(text: text, ids: inputTokens)) }
    if interactive { writeStandardOutput(style.magenta(strings.modelPrompt)) }
    var decoder = UTF8StreamDecoder()
    do {
      let trace = try TracedGenerator.generate(
        model: loaded.model, prompt: prompt, maxNewTokens: maxTokens, sampling: sampling, seed: seed &+ turn,
        stopTokens: loaded.stopTokens, captureTensors: showTensors
      ) { token in
        writeStandardOutput(decoder.append(loaded.bytes(of: [token])))
        return InterruptSignal.received == nil  // Ctrl-C ends this answer, not the chat
      }
      writeStandardOutput(decoder.flush() + (InterruptSignal.received != nil ? " ^C" : "") + "\n")
      if InterruptSignal.received != nil { InterruptSignal.install() }
      turn &+= 1
      let kept = trace.tokens.filter { !loaded.stopTokens.contains($0) }
      history = Array((prompt + kept).suffix(loaded.model.config.contextLength))
      answers += 1
      generatedTokens += trace.steps.count
      generationSeconds += trace.totalSeconds
      lastAnswer = ((text, inputTokens), trace, sampling)
      if educational {
        say(
          explainer.explanation(
            input: (text, inputTokens), trace: trace, sampling: sampling, maxSteps: 3, includeTokenization: false))
        if let snapshot = trace.snapshot { say(explainer.tensors(snapshot, embeddingSize: loaded.model.config.embeddingSize)) }
      }
    } catch {
      writeStandardOutput("\n")
      complain(errorMessage(error))
    }
  }

  private func stats() -> [String] {
    let cfg = loaded.model.config
    var lines = [
      "\(strings.statsModel): \(loaded.modelURL.path) — n_layer \(cfg.layerCount), n_head \(cfg.headCount), "
        + "n_embd \(cfg.embeddingSize), n_positions \(cfg.contextLength), vocab \(cfg.vocabSize), "
        + "\(grouped(cfg.parameterCount)) \(strings.words.parameters), \(loaded.model.backend.deviceName)",
      "\(strings.statsTokenizer): \(loaded.tokenizerURL?.path ?? "–") (\(tokenizer.vocabularySize) tokens)",
    ]
    let state = loaded.trainingState
    if let steps = state[TrainingStateKey.settings].flatMap({
      try? JSONDecoder().decode(TrainingSettings.self, from: Data($0.utf8))
    })?.steps {
      var trained = "\(strings.statsTrained): \(steps) \(strings.words.steps)"
      if let v = state[TrainingStateKey.validationLoss].flatMap(Float.init) {
        trained +=
          ", \(strings.words.validationLoss) " + String(format: "%.4f", v)
          + " (\(strings.words.perplexity) " + String(format: "%.1f", perplexity(loss: v)) + ")"
      }
      lines.append(trained)
    }
    lines.append(
      "\(strings.statsSettings): " + explainer.describe(sampling)
        + ", \(strings.words.maxTokens) \(maxTokens), \(strings.words.seed) \(seed)")
    let rate = generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : 0
    lines.append(
      "\(strings.statsSession): "
        + strings.statsTurns(answers, generatedTokens, String(format: "%.2f", generationSeconds), String(format: "%.1f", rate)))
    lines.append("   " + strings.statsContext(history.count, cfg.contextLength))
    if let last = lastAnswer {
      lines.append(
        "   "
          + strings.statsLastAnswer(
            last.trace.steps.count, String(format: "%.2f", last.trace.prefillSeconds * 1000),
            String(format: "%.1f", last.trace.tokensPerSecond)))
    }
    return lines
  }

  /// `"a text"` → `a text`; unquoted text stays as it is.
  static func unquoted(_ text: String) -> String {
    for quote: Character in ["\"", "'", "“"] where text.count >= 2 && text.first == quote {
      let closing: Character = quote == "“" ? "”" : quote
      if text.last == closing { return String(text.dropFirst().dropLast()) }
    }
    return text
  }
}
