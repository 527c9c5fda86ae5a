// The chat's words in English and Brazilian Portuguese. One struct, two values: a string missing
// from a language does not compile. The language comes from --lang, else LC_ALL / LC_MESSAGES /
// LANG (pt… → pt-BR), else English.
import ArgumentParser
import Foundation

enum Language: String, CaseIterable, ExpressibleByArgument {
  case en
  case ptBR = "pt-BR"

  init?(argument: String) {
    switch argument.lowercased().replacingOccurrences(of: "_", with: "-") {
    case "en", "en-us", "en-gb", "english": self = .en
    case "pt-br", "pt", "português", "portugues": self = .ptBR
    default: return nil
    }
  }

  static var fromEnvironment: Language {
    let environment = ProcessInfo.processInfo.environment
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      if let value = environment[key], !value.isEmpty { return value.lowercased().hasPrefix("pt") ? .ptBR : .en }
    }
    return .en
  }

  var strings: ChatStrings { self == .en ? .english : .portuguese }
}

struct ChatStrings {
  var userPrompt: String
  var modelPrompt: String
  var banner: (_ model: String, _ parameters: String, _ vocab: Int, _ context: Int, _ device: String) -> String
  var bannerHint: String
  var help: String
  var bye: String
  var unknownCommand: (String) -> String
  var usage: (String) -> String
  var setTo: (_ name: String, _ value: String) -> String
  var off: String
  var conversationCleared: String
  var nothingToExplain: String
  var noTokenizer: String
  // /stats
  var statsModel: String, statsTokenizer: String, statsSettings: String, statsSession: String
  var statsTurns: (_ turns: Int, _ tokens: Int, _ seconds: String, _ rate: String) -> String
  var statsContext: (_ used: Int, _ limit: Int) -> String
  var statsTrained: String
  var words:
    (
      greedy: String, temperature: String, maxTokens: String, seed: String, parameters: String, steps: String,
      validationLoss: String, perplexity: String
    )
  var statsLastAnswer: (_ tokens: Int, _ prefillMs: String, _ rate: String) -> String
  // Explanations
  var explainTitle: String
  var explainTokenization: (_ bytes: Int, _ tokens: Int) -> String
  var explainContext: (_ tokens: Int, _ limit: Int) -> String
  var explainSampling: (_ settings: String) -> String
  var explainStep: (_ step: Int) -> String
  var explainChosen: String
  var explainMore: (_ hidden: Int) -> String
  var explainKept: (_ kept: Int, _ vocab: Int) -> String
  var explainTimings: (_ prefillMs: String, _ perTokenMs: String, _ rate: String, _ tokens: Int) -> String
  var explainStopped: String
  var explainReset: (Int) -> String
  var explainColumns: (model: String, sampled: String)
  var explainModelVsSampled: String
  var tensorsTitle: String
  var tensorsEmbedding: (_ vocab: Int, _ width: Int) -> String
  var tensorsPosition: String
  var tensorsAttention: (_ heads: Int) -> String
  var tensorsHead: (_ head: Int) -> String
  var tensorsCache: (_ bytes: String, _ capacity: String) -> String
  var demoTitle: (_ text: String, _ tokens: Int, _ bytes: Int) -> String
  var demoPreTokens: String
  var demoMerge: String

  static let english = ChatStrings(
    userPrompt: "you› ",
    modelPrompt: "model› ",
    banner: { "minigpt chat — \($0): \($1) parameters, vocabulary \($2), context \($3) tokens, on \($4)" },
    bannerHint: "Type a text and the model continues it. /help lists the commands; /quit or Ctrl-D ends.",
    help: """
      Commands:
        /tokens-demo "text"  show how a text is split into tokens (and the merges that made them)
        /explain             explain the last answer with its real numbers
        /temp X              temperature (0 = greedy, always the most probable token)
        /tokens N            maximum tokens per answer
        /topk K              sample among the K most probable tokens (0 = off)
        /topp P              sample among the most probable tokens up to probability P (1 = off)
        /seed N              seed of the sampler (the same seed repeats the same answers)
        /stats               model, settings and speed
        /reset               forget the conversation
        /help                this list
        /quit                leave (also /exit, Ctrl-D)
      Anything else is text for the model to continue; earlier turns stay in its context.
      """,
    bye: "bye",
    unknownCommand: { "unknown command \($0); /help lists the commands" },
    usage: { "usage: \($0)" },
    setTo: { "\($0) = \($1)" },
    off: "off",
    conversationCleared: "conversation cleared: the model starts from an empty context",
    nothingToExplain: "nothing to explain yet: type a text first",
    noTokenizer: "this model has no tokenizer, so the chat cannot turn text into tokens; pass --tokenizer",
    statsModel: "model", statsTokenizer: "tokenizer", statsSettings: "settings", statsSession: "session",
    statsTurns: { "\($0) answers, \($1) tokens generated in \($2) s (\($3) tokens/s)" },
    statsContext: { "context: \($0) of \($1) tokens in use" },
    statsTrained: "trained",
    words: (
      greedy: "argmax (temperature 0)", temperature: "temperature", maxTokens: "max tokens", seed: "seed",
      parameters: "parameters", steps: "steps", validationLoss: "validation loss", perplexity: "perplexity"
    ),
    statsLastAnswer: { "last answer: \($0) tokens, prefill \($1) ms, \($2) tokens/s" },
    explainTitle: "How this answer was made",
    explainTokenization: { "1. Tokenization: your text has \($0) bytes and became \($1) tokens:" },
    explainContext: { "2. Context: the model read \($0) tokens (of at most \($1)): the conversation so far plus your text." },
    explainSampling: { "3. Next token, one at a time: logits → softmax → \($0) → draw. The top candidates:" },
    explainStep: { "step \($0)" },
    explainChosen: "← chosen",
    explainMore: { "… \($0) more steps (/explain shows all)" },
    explainKept: { "   \($0) of \($1) tokens could be drawn" },
    explainTimings: { "4. Timing: prefill \($0) ms, then \($1) ms per token → \($2) tokens/s for \($3) tokens." },
    explainStopped: "   stopped at the end-of-text token",
    explainReset: { "   the context filled up \($0)× and was cut to its last half" },
    explainColumns: (model: "model p", sampled: "sampled p"),
    explainModelVsSampled: "   model p = softmax of the logits; sampled p = after temperature, top-k and top-p",
    tensorsTitle: "Tensors (read from the engine after the prefill)",
    tensorsEmbedding: { "token embeddings wte (\($0) × \($1)), first values of each row:" },
    tensorsPosition: "position embedding wpe row 0:",
    tensorsAttention: { "attention of the last prompt token in the last layer, \($0) heads (weights over the prompt):" },
    tensorsHead: { "head \($0)" },
    tensorsCache: { "KV cache: \($0) filled of \($1) allocated" },
    demoTitle: { "\($0) → \($1) tokens for \($2) bytes" },
    demoPreTokens: "pre-tokens and merges:",
    demoMerge: "merge"
  )

  static let portuguese = ChatStrings(
    userPrompt: "você› ",
    modelPrompt: "modelo› ",
    banner: { "minigpt chat — \($0): \($1) parâmetros, vocabulário \($2), contexto de \($3) tokens, em \($4)" },
    bannerHint: "Digite um texto e o modelo o continua. /help lista os comandos; /quit ou Ctrl-D encerra.",
    help: """
      Comandos:
        /tokens-demo "texto" mostra como um texto vira tokens (e as fusões que os formaram)
        /explain             explica a última resposta com os números reais
        /temp X              temperatura (0 = gulosa, sempre o token mais provável)
        /tokens N            máximo de tokens por resposta
        /topk K              sorteia entre os K tokens mais prováveis (0 = desliga)
        /topp P              sorteia entre os mais prováveis até somar a probabilidade P (1 = desliga)
        /seed N              semente do sorteio (a mesma semente repete as mesmas respostas)
        /stats               modelo, configurações e velocidade
        /reset               esquece a conversa
        /help                esta lista
        /quit                sai (também /exit, /sair, Ctrl-D)
      Qualquer outra coisa é texto para o modelo continuar; as falas anteriores ficam no contexto.
      """,
    bye: "até logo",
    unknownCommand: { "comando desconhecido \($0); /help lista os comandos" },
    usage: { "uso: \($0)" },
    setTo: { "\($0) = \($1)" },
    off: "desligado",
    conversationCleared: "conversa apagada: o modelo recomeça com o contexto vazio",
    nothingToExplain: "nada para explicar ainda: digite um texto primeiro",
    noTokenizer: "este modelo não tem tokenizador, então o chat não consegue transformar texto em tokens; use --tokenizer",
    statsModel: "modelo", statsTokenizer: "tokenizador", statsSettings: "configurações", statsSession: "sessão",
    statsTurns: { "\($0) respostas, \($1) tokens gerados em \($2) s (\($3) tokens/s)" },
    statsContext: { "contexto: \($0) de \($1) tokens em uso" },
    statsTrained: "treino",
    words: (
      greedy: "argmax (temperatura 0)", temperature: "temperatura", maxTokens: "máx. de tokens", seed: "semente",
      parameters: "parâmetros", steps: "passos", validationLoss: "perda de validação", perplexity: "perplexidade"
    ),
    statsLastAnswer: { "última resposta: \($0) tokens, prefill \($1) ms, \($2) tokens/s" },
    explainTitle: "Como esta resposta foi feita",
    explainTokenization: { "1. Tokenização: seu texto tem \($0) bytes e virou \($1) tokens:" },
    explainContext: { "2. Contexto: o modelo leu \($0) tokens (de no máximo \($1)): a conversa até aqui mais o seu texto." },
    explainSampling: { "3. Próximo token, um de cada vez: logits → softmax → \($0) → sorteio. Os principais candidatos:" },
    explainStep: { "passo \($0)" },
    explainChosen: "← escolhido",
    explainMore: { "… mais \($0) passos (/explain mostra todos)" },
    explainKept: { "   \($0) de \($1) tokens podiam ser sorteados" },
    explainTimings: { "4. Tempo: prefill \($0) ms, depois \($1) ms por token → \($2) tokens/s para \($3) tokens." },
    explainStopped: "   parou no token de fim de texto",
    explainReset: { "   o contexto encheu \($0)× e foi cortado pela metade final" },
    explainColumns: (model: "p modelo", sampled: "p sorteio"),
    explainModelVsSampled: "   p modelo = softmax dos logits; p sorteio = depois de temperatura, top-k e top-p",
    tensorsTitle: "Tensores (lidos do motor depois do prefill)",
    tensorsEmbedding: { "embeddings dos tokens wte (\($0) × \($1)), primeiros valores de cada linha:" },
    tensorsPosition: "embedding de posição wpe, linha 0:",
    tensorsAttention: { "atenção do último token do prompt na última camada, \($0) cabeças (pesos sobre o prompt):" },
    tensorsHead: { "cabeça \($0)" },
    tensorsCache: { "cache KV: \($0) ocupados de \($1) alocados" },
    demoTitle: { "\($0) → \($1) tokens para \($2) bytes" },
    demoPreTokens: "pré-tokens e fusões:",
    demoMerge: "fusão"
  )
}
