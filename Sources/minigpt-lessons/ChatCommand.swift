// `minigpt-lessons chat`: a REPL over a trained model, with line editing and history on a
// terminal (LineEditor.swift), slash commands (ChatSession.swift) and the educational mode that
// explains every answer with its real numbers (ChatExplainer.swift). With standard input piped it
// answers each line and exits at the end of input.
import ArgumentParser
import Foundation
import MiniGPT

struct ChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chat",
    abstract: "Talk with a trained model; --educational explains every answer.",
    discussion: """
      Type a text and the model continues it (it is a small language model trained on Brazilian \
      Portuguese prose, not an assistant). Earlier turns stay in its context until /reset.

      Commands: /tokens-demo "text", /explain, /temp X, /tokens N, /topk K, /topp P, /seed N, \
      /stats, /reset, /help, /quit. Keys: ←/→, Home/End (Ctrl-A/E), ↑/↓ history, Backspace, \
      Ctrl-K/U/W, Ctrl-C drops the line (or stops an answer), Ctrl-D ends.

      --educational shows, for every answer, the tokenization of your text, the top candidates \
      with their probabilities for the first steps, and the timings; --show-tensors adds embedding \
      rows, the attention of the last layer and the KV-cache size. --lang picks English or \
      Brazilian Portuguese (default: from LANG). NO_COLOR turns colours off.

      With standard input piped, each line is answered in turn and the chat ends at end of input.

      Examples:
        minigpt-lessons chat
        minigpt-lessons chat --educational --lang pt-BR
        printf 'O Brasil é\\n/temp 0\\n/stats\\n' | minigpt-lessons chat

      Shell completions: minigpt-lessons --generate-completion-script bash|zsh|fish
      """)

  @OptionGroup var modelOptions: ModelOptions
  @OptionGroup var sampling: SamplingOptions
  @OptionGroup var backendOptions: BackendOptions

  @Flag(help: "Explain every answer: tokenization, top candidates with probabilities, timings.")
  var educational = false

  @Flag(name: .customLong("show-tensors"), help: "With the explanations, show tensors read from the engine.")
  var showTensors = false

  @Option(help: "Language of the chat: en or pt-BR (default: from LANG).")
  var lang: Language?

  func run() throws {
    try reportingErrors {
      let language = lang ?? Language.fromEnvironment
      let strings = language.strings
      let style = TextStyle(enabled: Terminal.colorEnabled())
      let backend = try backendOptions.make()
      let loaded = try ModelLoader.load(modelPath: modelOptions.model, tokenizerPath: modelOptions.tokenizer, backend: backend)
      guard let tokenizer = loaded.tokenizer else { throw CLIError.missingFile(strings.noTokenizer) }
      try MemoryBudget.check(GPT.estimatedGenerationBytes(loaded.model.config), what: "chatting with this model")
      let editor = LineEditor()
      let session = ChatSession(
        loaded: loaded, tokenizer: tokenizer, options: sampling, educational: educational || showTensors,
        showTensors: showTensors, language: language, style: style, interactive: editor.interactive)
      if editor.interactive {
        let cfg = loaded.model.config
        session.say([
          style.bold(
            strings.banner(
              loaded.modelURL.lastPathComponent, grouped(cfg.parameterCount), cfg.vocabSize,
              cfg.contextLength, backend.deviceName)),
          style.dim(strings.bannerHint),
        ])
      }
      let prompt = style.bold(strings.userPrompt)
      // Ctrl-C while an answer streams stops that answer; at the prompt it drops the line.
      InterruptSignal.install()
      defer { InterruptSignal.uninstall() }
      while let line = editor.readLine(prompt: prompt) {
        if session.handle(line) == .quit { break }
      }
      if editor.interactive { session.say([strings.bye]) }
    }
  }
}
