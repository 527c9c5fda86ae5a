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
  // {tokenize}
  case tokenizeTokensTitle, tokenizePreTokensTitle, tokenizePreToken, tokenizeMerges, tokenizePieces
  case tokenizeMergesTitle, tokenizePair, tokenizeNewToken, tokenizeRank, tokenizeMoreMerges
  case tokenizeExplanation, tokenizeNoRoundtrip
  case tokenizeBodyCorpus, tokenizeLearnedTitle, tokenizeLeft, tokenizeRight, tokenizePairCount
  case tokenizeTrainingExplanation, tokenizeNothingLearned
  // {embed}
  case embedTokenRows, embedPositionRows, embedNormsTitle, embedToken, embedSimilarityTitle
  case embedExplanation, embedSimilarPair, embedRepeatedToken
  // {attend}
  case attendScoresTitle, attendWeightsTitle, attendOutTitle, attendWhereTitle, attendStrongestEarlier
  case attendWeight, attendSelfWeight, attendStrongest, attendLastTop1, attendLastTop2, attendLastTop3
  case attendHeadsTitle, attendHead, attendPrevious, attendFirst, attendItself, attendPattern
  case attendPreviousToken, attendFirstToken, attendSelf, attendSpread, attendHeadsExplanation
  case attendClearestLink, attendHeadHabit, attendHeadNoHabit
  // {block}
  case blockLayerNormTitle, blockMeanBefore, blockStdBefore, blockStdNormalized, blockMeanAfter, blockStdAfter
  case blockLayerNormExplanation, blockStreamTitle, blockAttentionAdds, blockAfterAttention, blockMLPAdds
  case blockAfterMLP, blockStreamExplanation, blockGELUTitle, blockUnit, blockActiveTitle, blockMLPExplanation

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

    // MARK: {tokenize}
    case .tokenizeTokensTitle: return ("Tokens (with their ids)", "Tokens (com seus ids)")
    case .tokenizePreTokensTitle: return ("Pre-tokens: the text cut at spaces and punctuation first", "Pré-tokens: o texto cortado antes em espaços e pontuação")
    case .tokenizePreToken: return ("pre-token", "pré-token")
    case .tokenizeMerges: return ("merges", "fusões")
    case .tokenizePieces: return ("tokens", "tokens")
    case .tokenizeMergesTitle: return ("Merges applied, in order", "Fusões aplicadas, em ordem")
    case .tokenizePair: return ("pair", "par")
    case .tokenizeNewToken: return ("new token", "novo token")
    case .tokenizeRank: return ("rank", "posição")
    case .tokenizeMoreMerges: return ("{0} more", "mais {0}")
    case .tokenizeExplanation:
      return ("**{0}** characters → **{1}** bytes → **{2}** pre-tokens → **{4}** tokens, after {3} merges: {5} characters per token on average. The longest token here is {6}.",
              "**{0}** caracteres → **{1}** bytes → **{2}** pré-tokens → **{4}** tokens, depois de {3} fusões: {5} caracteres por token em média. O token mais longo aqui é {6}.")
    case .tokenizeNoRoundtrip:
      return ("Decoding these ids does not give back the text exactly.",
              "Decodificar estes ids não devolve exatamente o texto.")
    case .tokenizeBodyCorpus: return ("the text below the options", "o texto abaixo das opções")
    case .tokenizeLearnedTitle: return ("The first {0} of {1} merges learned", "As primeiras {0} de {1} fusões aprendidas")
    case .tokenizeLeft: return ("left", "esquerda")
    case .tokenizeRight: return ("right", "direita")
    case .tokenizePairCount: return ("times seen", "vezes vista")
    case .tokenizeTrainingExplanation:
      return ("Training on {0} ({1} bytes, {2} pre-tokens, {3} different) learned {4} merges, the most frequent pair first. The first joined {5} and {6} into {7}: that pair occurred **{8}** times. The tokenizer ends with {9} tokens.",
              "O treino em {0} ({1} bytes, {2} pré-tokens, {3} diferentes) aprendeu {4} fusões, o par mais frequente primeiro. A primeira juntou {5} e {6} em {7}: esse par apareceu **{8}** vezes. O tokenizador termina com {9} tokens.")
    case .tokenizeNothingLearned:
      return ("Training on {0} learned no merge: no pair of symbols occurs in it.",
              "O treino em {0} não aprendeu nenhuma fusão: nenhum par de símbolos aparece nele.")

    // MARK: {embed}
    case .embedTokenRows: return ("token embedding rows wte[id]", "linhas da embedding de tokens wte[id]")
    case .embedPositionRows: return ("position embedding rows wpe[t]", "linhas da embedding de posições wpe[t]")
    case .embedNormsTitle: return ("Vector lengths (norms)", "Comprimentos dos vetores (normas)")
    case .embedToken: return ("token", "token")
    case .embedSimilarityTitle: return ("Cosine similarity of the token embeddings", "Similaridade de cosseno das embeddings de tokens")
    case .embedExplanation:
      return ("Each of the **{0}** tokens is now a vector of **{1}** numbers: its row of `wte` plus the row of `wpe` for its position. The engine's `encoded` activation is exactly that sum (largest difference {2}). Token rows have norm {3} on average, position rows {4}.",
              "Cada um dos **{0}** tokens agora é um vetor de **{1}** números: sua linha de `wte` mais a linha de `wpe` da sua posição. A ativação `encoded` do motor é exatamente essa soma (maior diferença {2}). As linhas de tokens têm norma {3} em média, as de posições {4}.")
    case .embedSimilarPair:
      return ("Of two different tokens, {0} and {1} point most in the same direction (cosine **{2}**).",
              "Entre dois tokens diferentes, {0} e {1} apontam mais na mesma direção (cosseno **{2}**).")
    case .embedRepeatedToken:
      return ("{0} appears at positions {1} and {2}: the same row of `wte` but different rows of `wpe`, so the blocks receive two different vectors (cosine {3}).",
              "{0} aparece nas posições {1} e {2}: a mesma linha de `wte` mas linhas diferentes de `wpe`, então os blocos recebem dois vetores diferentes (cosseno {3}).")

    // MARK: {attend}
    case .attendScoresTitle: return ("Scores q·k / √{0} (head {1}); the future is masked", "Pontuações q·k / √{0} (cabeça {1}); o futuro é mascarado")
    case .attendWeightsTitle: return ("Attention weights = softmax of the scores (layer {0}, head {1})", "Pesos de atenção = softmax das pontuações (camada {0}, cabeça {1})")
    case .attendOutTitle: return ("Weighted sum of the values: {0}", "Soma ponderada dos valores: {0}")
    case .attendWhereTitle: return ("Where each token looks", "Para onde cada token olha")
    case .attendStrongestEarlier: return ("strongest earlier token", "token anterior mais forte")
    case .attendWeight: return ("weight", "peso")
    case .attendSelfWeight: return ("weight on itself", "peso em si mesmo")
    case .attendStrongest:
      return ("The clearest link: {0} puts **{1}** of its attention on {2}; spread evenly over the {3} tokens it can see, each would get {4}.",
              "A ligação mais nítida: {0} põe **{1}** da sua atenção em {2}; espalhada igualmente pelos {3} tokens que ele vê, cada um receberia {4}.")
    case .attendLastTop1:
      return ("The last token, {0}, looks only at {1} ({2}).",
              "O último token, {0}, olha só para {1} ({2}).")
    case .attendLastTop2:
      return ("The last token, {0}, looks most at {1} ({2}) and {3} ({4}).",
              "O último token, {0}, olha mais para {1} ({2}) e {3} ({4}).")
    case .attendLastTop3:
      return ("The last token, {0}, looks most at {1} ({2}), {3} ({4}) and {5} ({6}); the values of those tokens, weighted so, make most of what this head passes on for it.",
              "O último token, {0}, olha mais para {1} ({2}), {3} ({4}) e {5} ({6}); os valores desses tokens, com esses pesos, formam a maior parte do que esta cabeça passa adiante para ele.")
    case .attendHeadsTitle: return ("The heads of layer {0}: average weight on…", "As cabeças da camada {0}: peso médio no…")
    case .attendHead: return ("head", "cabeça")
    case .attendPrevious: return ("previous token", "token anterior")
    case .attendFirst: return ("first token", "primeiro token")
    case .attendItself: return ("itself", "si mesmo")
    case .attendPattern: return ("mostly looks at", "olha mais para")
    case .attendPreviousToken: return ("the previous token", "o token anterior")
    case .attendFirstToken: return ("the first token", "o primeiro token")
    case .attendSelf: return ("itself", "si mesmo")
    case .attendSpread: return ("no single habit", "nenhum hábito único")
    case .attendHeadsExplanation:
      return ("The {0} heads read the same tokens but weigh them differently; {1} of them have no single habit (none of the three averages reaches 0.4).",
              "As {0} cabeças leem os mesmos tokens mas os pesam de forma diferente; {1} delas não têm um hábito único (nenhuma das três médias chega a 0,4).")
    case .attendClearestLink: return ("clearest link", "ligação mais nítida")
    case .attendHeadHabit:
      return ("Head {0} mostly looks at {1} ({2} on average); its clearest link: {3} → {4} ({5}).",
              "A cabeça {0} olha mais para {1} ({2} em média); sua ligação mais nítida: {3} → {4} ({5}).")
    case .attendHeadNoHabit:
      return ("Head {0} has no single habit; its clearest link: {1} → {2} ({3}).",
              "A cabeça {0} não tem um hábito único; sua ligação mais nítida: {1} → {2} ({3}).")

    // MARK: {block}
    case .blockLayerNormTitle: return ("Layer norm ln_1 of block {0}, per token", "Layer norm ln_1 do bloco {0}, por token")
    case .blockMeanBefore: return ("mean before", "média antes")
    case .blockStdBefore: return ("std before", "desvio antes")
    case .blockStdNormalized: return ("std normalised", "desvio normalizado")
    case .blockMeanAfter: return ("mean after", "média depois")
    case .blockStdAfter: return ("std after", "desvio depois")
    case .blockLayerNormExplanation:
      return ("Layer norm subtracts each token's mean ({0} on average) and divides by its standard deviation ({1} on average), so every token enters attention on the same scale: the normalised vectors have standard deviation {2}. Then a learned gain and bias per dimension stretch and shift them (the columns \"after\").",
              "O layer norm subtrai a média de cada token ({0} em média) e divide pelo seu desvio padrão ({1} em média), então todo token entra na atenção na mesma escala: os vetores normalizados têm desvio padrão {2}. Depois um ganho e um viés aprendidos por dimensão os esticam e deslocam (as colunas \"depois\").")
    case .blockStreamTitle: return ("The residual stream: vector lengths", "O fluxo residual: comprimentos dos vetores")
    case .blockAttentionAdds: return ("attention adds", "atenção soma")
    case .blockAfterAttention: return ("after attention", "após a atenção")
    case .blockMLPAdds: return ("MLP adds", "MLP soma")
    case .blockAfterMLP: return ("after the block", "após o bloco")
    case .blockStreamExplanation:
      return ("Nothing replaces the stream: attention adds a vector about {0} as long as the stream it reads, and the MLP one about {1} as long. The token this block moves most is {2} (by {3}). Each sum equals its two parts to within {4}.",
              "Nada substitui o fluxo: a atenção soma um vetor com cerca de {0} do comprimento do fluxo que lê, e o MLP um com cerca de {1}. O token que este bloco mais move é {2} (em {3}). Cada soma é igual às suas duas partes com diferença de até {4}.")
    case .blockGELUTitle: return ("GELU on the first MLP units of {0}", "GELU nas primeiras unidades do MLP de {0}")
    case .blockUnit: return ("unit", "unidade")
    case .blockActiveTitle: return ("Share of the {0} MLP units that are active (positive before GELU)", "Fração das {0} unidades do MLP que estão ativas (positivas antes da GELU)")
    case .blockMLPExplanation:
      return ("The MLP widens each token to **{0}** units, applies GELU and projects back. On average **{1}** of the units are active: GELU lets positive inputs through almost unchanged and squashes negative ones toward 0 (its smallest output here is {2}; it never goes below −0.17).",
              "O MLP alarga cada token para **{0}** unidades, aplica a GELU e projeta de volta. Em média **{1}** das unidades estão ativas: a GELU deixa entradas positivas passarem quase sem mudança e espreme as negativas para perto de 0 (sua menor saída aqui é {2}; ela nunca fica abaixo de −0,17).")
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
