// Built-in explanation strings in English and Brazilian Portuguese. Placeholders {0}, {1}, … are
// filled in order; both languages must use the same placeholders (a test checks it). Phrases may
// use the light markup of `RichText(markup:)` around placeholders — never inside filled values.
import Foundation
import LessonModel

public enum Phrase: String, CaseIterable, Sendable {
  // {text}
  case textTitle, characters, bytes, lines, words, distinctCharacters
  case textExplanation
  // {bytes}
  case bytesTitle, character, codePoint, utf8Bytes
  case bytesExplanationASCII, bytesExplanationMultibyte
  // {seed}
  case seedExplanation
  // {model}
  case modelConfigurationTitle, modelSource, modelHeadSize, modelParameterCount, modelTokenizerVocabulary
  case modelParametersTitle, modelParameterName, modelShape, modelCount, modelShare, modelTotal, modelSameAsFirstBlock
  case modelExplanation, modelBytesTokenizer, modelTokenizerTooLarge, modelBackend
  case modelTrainingTitle, modelCorpus, modelCorpusBytes, modelCorpusTokens, modelSteps, modelLearningRate
  case modelLossFirstLast, modelValidationLoss, modelLossCurve, modelStep, modelTrainSeries, modelValidationSeries
  case modelTrainingExplanation, modelTrainingTime, modelCache, modelCacheReused, modelCacheStored, modelCacheRejected

  private var translations: (english: String, portuguese: String) {
    switch self {
    case .textTitle: return ("Text", "Texto")
    case .characters: return ("characters", "caracteres")
    case .bytes: return ("bytes (UTF-8)", "bytes (UTF-8)")
    case .lines: return ("lines", "linhas")
    case .words: return ("words", "palavras")
    case .distinctCharacters: return ("distinct characters", "caracteres distintos")
    case .textExplanation:
      return ("The next directives work on this text: **{0}** characters stored in **{1}** bytes.",
              "As próximas diretivas trabalham com este texto: **{0}** caracteres guardados em **{1}** bytes.")
    case .bytesTitle: return ("UTF-8 bytes", "Bytes UTF-8")
    case .character: return ("character", "caractere")
    case .codePoint: return ("code point", "ponto de código")
    case .utf8Bytes: return ("UTF-8 bytes", "bytes UTF-8")
    case .bytesExplanationASCII:
      return ("All **{0}** characters are ASCII, so each one is exactly one byte.",
              "Os **{0}** caracteres são ASCII, então cada um ocupa exatamente um byte.")
    case .bytesExplanationMultibyte:
      return ("**{0}** characters become **{1}** bytes: characters outside ASCII, like {2}, take two to four bytes each. A byte-level tokenizer starts from these {1} bytes.",
              "**{0}** caracteres viram **{1}** bytes: caracteres fora do ASCII, como {2}, ocupam de dois a quatro bytes cada. Um tokenizador em nível de bytes começa destes {1} bytes.")
    case .seedExplanation:
      return ("Random numbers now come from seed **{0}**: every run of this lesson draws the same ones.",
              "Os números aleatórios agora vêm da semente **{0}**: toda execução desta lição sorteia os mesmos.")

    // MARK: {model}
    case .modelConfigurationTitle: return ("Configuration", "Configuração")
    case .modelSource: return ("source", "origem")
    case .modelHeadSize: return ("head size (n_embd / n_head)", "tamanho de cabeça (n_embd / n_head)")
    case .modelParameterCount: return ("parameters", "parâmetros")
    case .modelTokenizerVocabulary: return ("tokenizer vocabulary", "vocabulário do tokenizador")
    case .modelParametersTitle: return ("Parameters", "Parâmetros")
    case .modelParameterName: return ("tensor", "tensor")
    case .modelShape: return ("shape", "forma")
    case .modelCount: return ("count", "quantidade")
    case .modelShare: return ("share", "fração")
    case .modelTotal: return ("total", "total")
    case .modelSameAsFirstBlock: return ("same shapes as h.0", "mesmas formas de h.0")
    case .modelExplanation:
      return ("The model has **{0}** parameters. The token embedding `wte` ({1} × {2}) holds {3} of them and the position embedding {4}. Each transformer block holds {6} ({8} in attention, {9} in the MLP); the {5} block(s) together hold {7}. The output layer reuses `wte` (tied weights), so it adds none.",
              "O modelo tem **{0}** parâmetros. A embedding de tokens `wte` ({1} × {2}) guarda {3} deles e a embedding de posições {4}. Cada bloco transformer guarda {6} ({8} na atenção, {9} no MLP); o(s) {5} bloco(s) juntos guardam {7}. A camada de saída reutiliza `wte` (pesos compartilhados), então não acrescenta nenhum.")
    case .modelBytesTokenizer:
      return ("No trained tokenizer fits this model, so it uses one that knows only the 256 bytes and the special tokens ({0} tokens, no merges).",
              "Nenhum tokenizador treinado cabe neste modelo, então ele usa um que conhece só os 256 bytes e os tokens especiais ({0} tokens, nenhuma fusão).")
    case .modelTokenizerTooLarge:
      return ("The tokenizer has {0} tokens but the model only {1} embedding rows: some ids will be out of range.",
              "O tokenizador tem {0} tokens mas o modelo só {1} linhas de embedding: alguns ids ficarão fora do intervalo.")
    case .modelBackend: return ("backend", "backend")
    case .modelTrainingTitle: return ("Training", "Treinamento")
    case .modelCorpus: return ("corpus", "corpus")
    case .modelCorpusBytes: return ("corpus bytes", "bytes do corpus")
    case .modelCorpusTokens: return ("corpus tokens", "tokens do corpus")
    case .modelSteps: return ("steps × batch × sequence", "passos × lote × sequência")
    case .modelLearningRate: return ("learning rate", "taxa de aprendizado")
    case .modelLossFirstLast: return ("loss (first → last step)", "perda (primeiro → último passo)")
    case .modelValidationLoss: return ("validation loss", "perda de validação")
    case .modelLossCurve: return ("Training loss", "Perda de treinamento")
    case .modelStep: return ("step", "passo")
    case .modelTrainSeries: return ("train", "treino")
    case .modelValidationSeries: return ("validation", "validação")
    case .modelTrainingExplanation:
      return ("The loss fell from **{0}** to **{1}** in {2} steps. A model that spreads its guesses evenly over {3} tokens scores ln {3} = {4}; on text it never trained on, this one scores {5}.",
              "A perda caiu de **{0}** para **{1}** em {2} passos. Um modelo que espalha seus palpites igualmente entre {3} tokens marca ln {3} = {4}; em texto que nunca viu no treino, este marca {5}.")
    case .modelTrainingTime: return ("training time", "tempo de treino")
    case .modelCache: return ("cache", "cache")
    case .modelCacheReused: return ("reused {0}", "reutilizado {0}")
    case .modelCacheStored: return ("trained and stored as {0}", "treinado e guardado como {0}")
    case .modelCacheRejected: return ("not used ({0}); trained again", "não usado ({0}); treinado de novo")
    }
  }

  /// The template in `language`, placeholders not filled.
  public func template(_ language: LessonLanguage) -> String {
    language == .brazilianPortuguese ? translations.portuguese : translations.english
  }

  /// The phrase with `{0}`, `{1}`, … replaced by `arguments`.
  public func text(_ language: LessonLanguage, _ arguments: [String]) -> String {
    var result = template(language)
    for (index, argument) in arguments.enumerated() {
      result = result.replacingAll("{\(index)}", with: argument)
    }
    return result
  }

  /// The phrase as rich text: the template's markup is parsed, then each `{n}` is replaced by the
  /// given span, so text from a corpus never goes through the markup parser.
  public func richText(_ language: LessonLanguage, _ arguments: [TextSpan]) -> RichText {
    var spans: [TextSpan] = []
    for span in RichText(markup: template(language)).spans {
      var rest = Substring(span.text)
      while let open = rest.firstIndex(of: "{"),
        let close = rest[open...].firstIndex(of: "}"),
        let index = Int(rest[rest.index(after: open)..<close]), index < arguments.count
      {
        if open > rest.startIndex { spans.append(TextSpan(String(rest[..<open]), style: span.style)) }
        var argument = arguments[index]
        if argument.style == .plain { argument.style = span.style }
        spans.append(argument)
        rest = rest[rest.index(after: close)...]
      }
      if !rest.isEmpty { spans.append(TextSpan(String(rest), style: span.style)) }
    }
    return RichText(spans)
  }
}

extension String {
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    components(separatedBy: target).joined(separator: replacement)
  }
}
