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
  // {train-step}, {train}, {generate}, {kv-cache}, {backends}
  case trainStepNoClipping, trainStepBatchTitle, trainStepBatchShape, trainStepPredictions, learningRate
  case weightDecay, gradientClipping, trainStepFirstRow, position, trainStepInput, trainStepTarget
  case trainStepLossBefore, trainStepGradientTitle, tensor, shape, trainStepClipped, trainStepNotClipped
  case trainStepNoClip, trainStepLargest, trainStepAdamTitle, trainStepElementsTitle
  case trainStepBiasCorrection, trainStepWorkedExample, trainStepFirstStep, trainStepUpdateRatio
  case trainStepLossFell, trainStepLossRose, cacheLabel, cacheReused, cacheWritten, cacheNotWritten
  case trainingSpeed, trainRunTitle, trainTokens, validationTokens, steps, tokensSeen, passes, trainSchedule
  case seed, lossCurveTitle, step, lossLabel, trainBatchSeries, trainSeries, validationSeries
  case validationTableTitle, perplexity, trainLossFell, trainValidation, trainValidationWorse, trainOverfitting
  case trainStillLearning, trainPlateau, trainGap, tokensPerSecond, samplingTitle, temperature, greedy
  case promptTokens, newTokens, drawn, generateStepTitle, generateStepTitleKept, token, modelProbability, sampledProbability
  case generateGreedy, generateTemperatureSharper, generateTemperatureFlatter, generateTopK, generateTopP
  case generateNoFilter, generatedTitle, generateResult, generateLeastLikely, kvCacheTitle, positionsCached
  case bytesPerPosition, bytesFilled, bytesCapacity, generateCache, withCache, withoutCache, measuredSpeedup
  case kvIdentical, kvDifferent, kvWorkTitle, positions, rowsWithout, rowsWith, macsWithout, macsWith
  case kvChartTitle, macsMillions, kvWork, kvBytes, backendsNoGPU, stepTime, timeRatio, cpuBackend
  case referenceBackend, vulkanBackend, backendsSummaryTitle, largestDifference, gradients, weightsAfterStep
  case backendsTensorTitle, backendsSame, backendsSameLoss, backendsGradients, backendsWhy, backendsSoftware,
    backendsAdamAmplifies

  private var translations: (english: String, portuguese: String) {
    switch self {
    case .textTitle: return ("Text", "Texto")
    case .characters: return ("characters", "caracteres")
    case .bytes: return ("bytes (UTF-8)", "bytes (UTF-8)")
    case .lines: return ("lines", "linhas")
    case .words: return ("words", "palavras")
    case .distinctCharacters: return ("distinct characters", "caracteres distintos")
    case .textExplanation:
      return (
        "The next directives work on this text: **{0}** characters stored in **{1}** bytes.",
        "As próximas diretivas trabalham com este texto: **{0}** caracteres guardados em **{1}** bytes."
      )
    case .bytesTitle: return ("UTF-8 bytes", "Bytes UTF-8")
    case .character: return ("character", "caractere")
    case .codePoint: return ("code point", "ponto de código")
    case .utf8Bytes: return ("UTF-8 bytes", "bytes UTF-8")
    case .bytesExplanationASCII:
      return (
        "All **{0}** characters are ASCII, so each one is exactly one byte.",
        "Os **{0}** caracteres são ASCII, então cada um ocupa exatamente um byte."
      )
    case .bytesExplanationMultibyte:
      return (
        "**{0}** characters become **{1}** bytes: characters outside ASCII, like {2}, take two to four bytes each. A byte-level tokenizer starts from these {1} bytes.",
        "**{0}** caracteres viram **{1}** bytes: caracteres fora do ASCII, como {2}, ocupam de dois a quatro bytes cada. Um tokenizador em nível de bytes começa destes {1} bytes."
      )
    case .seedExplanation:
      return (
        "Random numbers now come from seed **{0}**: every run of this lesson draws the same ones.",
        "Os números aleatórios agora vêm da semente **{0}**: toda execução desta lição sorteia os mesmos."
      )

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
      return (
        "The model has **{0}** parameters. The token embedding `wte` ({1} × {2}) holds {3} of them and the position embedding {4}. Each transformer block holds {6} ({8} in attention, {9} in the MLP); the {5} block(s) together hold {7}. The output layer reuses `wte` (tied weights), so it adds none.",
        "O modelo tem **{0}** parâmetros. A embedding de tokens `wte` ({1} × {2}) guarda {3} deles e a embedding de posições {4}. Cada bloco transformer guarda {6} ({8} na atenção, {9} no MLP); o(s) {5} bloco(s) juntos guardam {7}. A camada de saída reutiliza `wte` (pesos compartilhados), então não acrescenta nenhum."
      )
    case .modelBytesTokenizer:
      return (
        "No trained tokenizer fits this model, so it uses one that knows only the 256 bytes and the special tokens ({0} tokens, no merges).",
        "Nenhum tokenizador treinado cabe neste modelo, então ele usa um que conhece só os 256 bytes e os tokens especiais ({0} tokens, nenhuma fusão)."
      )
    case .modelTokenizerTooLarge:
      return (
        "The tokenizer has {0} tokens but the model only {1} embedding rows: some ids will be out of range.",
        "O tokenizador tem {0} tokens mas o modelo só {1} linhas de embedding: alguns ids ficarão fora do intervalo."
      )
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
      return (
        "The loss fell from **{0}** to **{1}** in {2} steps. A model that spreads its guesses evenly over {3} tokens scores ln {3} = {4}; on text it never trained on, this one scores {5}.",
        "A perda caiu de **{0}** para **{1}** em {2} passos. Um modelo que espalha seus palpites igualmente entre {3} tokens marca ln {3} = {4}; em texto que nunca viu no treino, este marca {5}."
      )
    case .modelTrainingTime: return ("training time", "tempo de treino")
    case .modelCache: return ("cache", "cache")
    case .modelCacheReused: return ("reused {0}", "reutilizado {0}")
    case .modelCacheStored: return ("trained and stored as {0}", "treinado e guardado como {0}")
    case .modelCacheRejected: return ("not used ({0}); trained again", "não usado ({0}); treinado de novo")

    // MARK: {tokenize}
    case .tokenizeTokensTitle: return ("Tokens (with their ids)", "Tokens (com seus ids)")
    case .tokenizePreTokensTitle:
      return (
        "Pre-tokens: the text cut at spaces and punctuation first", "Pré-tokens: o texto cortado antes em espaços e pontuação"
      )
    case .tokenizePreToken: return ("pre-token", "pré-token")
    case .tokenizeMerges: return ("merges", "fusões")
    case .tokenizePieces: return ("tokens", "tokens")
    case .tokenizeMergesTitle: return ("Merges applied, in order", "Fusões aplicadas, em ordem")
    case .tokenizePair: return ("pair", "par")
    case .tokenizeNewToken: return ("new token", "novo token")
    case .tokenizeRank: return ("rank", "posição")
    case .tokenizeMoreMerges: return ("{0} more", "mais {0}")
    case .tokenizeExplanation:
      return (
        "**{0}** characters → **{1}** bytes → **{2}** pre-tokens → **{4}** tokens, after {3} merges: {5} characters per token on average. The longest token here is {6}.",
        "**{0}** caracteres → **{1}** bytes → **{2}** pré-tokens → **{4}** tokens, depois de {3} fusões: {5} caracteres por token em média. O token mais longo aqui é {6}."
      )
    case .tokenizeNoRoundtrip:
      return (
        "Decoding these ids does not give back the text exactly.",
        "Decodificar estes ids não devolve exatamente o texto."
      )
    case .tokenizeBodyCorpus: return ("the text below the options", "o texto abaixo das opções")
    case .tokenizeLearnedTitle: return ("The first {0} of {1} merges learned", "As primeiras {0} de {1} fusões aprendidas")
    case .tokenizeLeft: return ("left", "esquerda")
    case .tokenizeRight: return ("right", "direita")
    case .tokenizePairCount: return ("times seen", "vezes vista")
    case .tokenizeTrainingExplanation:
      return (
        "Training on {0} ({1} bytes, {2} pre-tokens, {3} different) learned {4} merges, the most frequent pair first. The first joined {5} and {6} into {7}: that pair occurred **{8}** times. The tokenizer ends with {9} tokens.",
        "O treino em {0} ({1} bytes, {2} pré-tokens, {3} diferentes) aprendeu {4} fusões, o par mais frequente primeiro. A primeira juntou {5} e {6} em {7}: esse par apareceu **{8}** vezes. O tokenizador termina com {9} tokens."
      )
    case .tokenizeNothingLearned:
      return (
        "Training on {0} learned no merge: no pair of symbols occurs in it.",
        "O treino em {0} não aprendeu nenhuma fusão: nenhum par de símbolos aparece nele."
      )

    // MARK: {embed}
    case .embedTokenRows: return ("token embedding rows wte[id]", "linhas da embedding de tokens wte[id]")
    case .embedPositionRows: return ("position embedding rows wpe[t]", "linhas da embedding de posições wpe[t]")
    case .embedNormsTitle: return ("Vector lengths (norms)", "Comprimentos dos vetores (normas)")
    case .embedToken: return ("token", "token")
    case .embedSimilarityTitle:
      return ("Cosine similarity of the token embeddings", "Similaridade de cosseno das embeddings de tokens")
    case .embedExplanation:
      return (
        "Each of the **{0}** tokens is now a vector of **{1}** numbers: its row of `wte` plus the row of `wpe` for its position. The engine's `encoded` activation is exactly that sum (largest difference {2}). Token rows have norm {3} on average, position rows {4}.",
        "Cada um dos **{0}** tokens agora é um vetor de **{1}** números: sua linha de `wte` mais a linha de `wpe` da sua posição. A ativação `encoded` do motor é exatamente essa soma (maior diferença {2}). As linhas de tokens têm norma {3} em média, as de posições {4}."
      )
    case .embedSimilarPair:
      return (
        "Of two different tokens, {0} and {1} point most in the same direction (cosine **{2}**).",
        "Entre dois tokens diferentes, {0} e {1} apontam mais na mesma direção (cosseno **{2}**)."
      )
    case .embedRepeatedToken:
      return (
        "{0} appears at positions {1} and {2}: the same row of `wte` but different rows of `wpe`, so the blocks receive two different vectors (cosine {3}).",
        "{0} aparece nas posições {1} e {2}: a mesma linha de `wte` mas linhas diferentes de `wpe`, então os blocos recebem dois vetores diferentes (cosseno {3})."
      )

    // MARK: {attend}
    case .attendScoresTitle:
      return ("Scores q·k / √{0} (head {1}); the future is masked", "Pontuações q·k / √{0} (cabeça {1}); o futuro é mascarado")
    case .attendWeightsTitle:
      return (
        "Attention weights = softmax of the scores (layer {0}, head {1})",
        "Pesos de atenção = softmax das pontuações (camada {0}, cabeça {1})"
      )
    case .attendOutTitle: return ("Weighted sum of the values: {0}", "Soma ponderada dos valores: {0}")
    case .attendWhereTitle: return ("Where each token looks", "Para onde cada token olha")
    case .attendStrongestEarlier: return ("strongest earlier token", "token anterior mais forte")
    case .attendWeight: return ("weight", "peso")
    case .attendSelfWeight: return ("weight on itself", "peso em si mesmo")
    case .attendStrongest:
      return (
        "The clearest link: {0} puts **{1}** of its attention on {2}; spread evenly over the {3} tokens it can see, each would get {4}.",
        "A ligação mais nítida: {0} põe **{1}** da sua atenção em {2}; espalhada igualmente pelos {3} tokens que ele vê, cada um receberia {4}."
      )
    case .attendLastTop1:
      return (
        "The last token, {0}, looks only at {1} ({2}).",
        "O último token, {0}, olha só para {1} ({2})."
      )
    case .attendLastTop2:
      return (
        "The last token, {0}, looks most at {1} ({2}) and {3} ({4}).",
        "O último token, {0}, olha mais para {1} ({2}) e {3} ({4})."
      )
    case .attendLastTop3:
      return (
        "The last token, {0}, looks most at {1} ({2}), {3} ({4}) and {5} ({6}); the values of those tokens, weighted so, make most of what this head passes on for it.",
        "O último token, {0}, olha mais para {1} ({2}), {3} ({4}) e {5} ({6}); os valores desses tokens, com esses pesos, formam a maior parte do que esta cabeça passa adiante para ele."
      )
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
      return (
        "The {0} heads read the same tokens but weigh them differently; {1} of them have no single habit (none of the three averages reaches 0.4).",
        "As {0} cabeças leem os mesmos tokens mas os pesam de forma diferente; {1} delas não têm um hábito único (nenhuma das três médias chega a 0,4)."
      )
    case .attendClearestLink: return ("clearest link", "ligação mais nítida")
    case .attendHeadHabit:
      return (
        "Head {0} mostly looks at {1} ({2} on average); its clearest link: {3} → {4} ({5}).",
        "A cabeça {0} olha mais para {1} ({2} em média); sua ligação mais nítida: {3} → {4} ({5})."
      )
    case .attendHeadNoHabit:
      return (
        "Head {0} has no single habit; its clearest link: {1} → {2} ({3}).",
        "A cabeça {0} não tem um hábito único; sua ligação mais nítida: {1} → {2} ({3})."
      )

    // MARK: {block}
    case .blockLayerNormTitle: return ("Layer norm ln_1 of block {0}, per token", "Layer norm ln_1 do bloco {0}, por token")
    case .blockMeanBefore: return ("mean before", "média antes")
    case .blockStdBefore: return ("std before", "desvio antes")
    case .blockStdNormalized: return ("std normalised", "desvio normalizado")
    case .blockMeanAfter: return ("mean after", "média depois")
    case .blockStdAfter: return ("std after", "desvio depois")
    case .blockLayerNormExplanation:
      return (
        "Layer norm subtracts each token's mean ({0} on average) and divides by its standard deviation ({1} on average), so every token enters attention on the same scale: the normalised vectors have standard deviation {2}. Then a learned gain and bias per dimension stretch and shift them (the columns \"after\").",
        "O layer norm subtrai a média de cada token ({0} em média) e divide pelo seu desvio padrão ({1} em média), então todo token entra na atenção na mesma escala: os vetores normalizados têm desvio padrão {2}. Depois um ganho e um viés aprendidos por dimensão os esticam e deslocam (as colunas \"depois\")."
      )
    case .blockStreamTitle: return ("The residual stream: vector lengths", "O fluxo residual: comprimentos dos vetores")
    case .blockAttentionAdds: return ("attention adds", "atenção soma")
    case .blockAfterAttention: return ("after attention", "após a atenção")
    case .blockMLPAdds: return ("MLP adds", "MLP soma")
    case .blockAfterMLP: return ("after the block", "após o bloco")
    case .blockStreamExplanation:
      return (
        "Nothing replaces the stream: attention adds a vector about {0} as long as the stream it reads, and the MLP one about {1} as long. The token this block moves most is {2} (by {3}). Each sum equals its two parts to within {4}.",
        "Nada substitui o fluxo: a atenção soma um vetor com cerca de {0} do comprimento do fluxo que lê, e o MLP um com cerca de {1}. O token que este bloco mais move é {2} (em {3}). Cada soma é igual às suas duas partes com diferença de até {4}."
      )
    case .blockGELUTitle: return ("GELU on the first MLP units of {0}", "GELU nas primeiras unidades do MLP de {0}")
    case .blockUnit: return ("unit", "unidade")
    case .blockActiveTitle:
      return (
        "Share of the {0} MLP units that are active (positive before GELU)",
        "Fração das {0} unidades do MLP que estão ativas (positivas antes da GELU)"
      )
    case .blockMLPExplanation:
      return (
        "The MLP widens each token to **{0}** units, applies GELU and projects back. On average **{1}** of the units are active: GELU lets positive inputs through almost unchanged and squashes negative ones toward 0 (its smallest output here is {2}; it never goes below −0.17).",
        "O MLP alarga cada token para **{0}** unidades, aplica a GELU e projeta de volta. Em média **{1}** das unidades estão ativas: a GELU deixa entradas positivas passarem quase sem mudança e espreme as negativas para perto de 0 (sua menor saída aqui é {2}; ela nunca fica abaixo de −0,17)."
      )
    case .trainStepNoClipping: return ("off", "desligado")
    case .trainStepBatchTitle: return ("Training batch", "Lote de treino")
    case .trainStepBatchShape: return ("batch × sequence (B × T)", "lote × sequência (B × T)")
    case .trainStepPredictions: return ("predictions (one per position)", "previsões (uma por posição)")
    case .learningRate: return ("learning rate", "taxa de aprendizado")
    case .weightDecay: return ("weight decay (λ)", "decaimento de peso (λ)")
    case .gradientClipping: return ("gradient clipping (largest norm)", "corte do gradiente (norma máxima)")
    case .trainStepFirstRow:
      return (
        "First sequence: each token and the next token it must predict",
        "Primeira sequência: cada token e o próximo token que ele deve prever"
      )
    case .position: return ("position", "posição")
    case .trainStepInput: return ("input", "entrada")
    case .trainStepTarget: return ("target (next token)", "alvo (próximo token)")
    case .trainStepLossBefore:
      return (
        "Before the step, the mean cross-entropy over the **{0}** predictions of this batch is **{1}** (perplexity {2}). A model that spread its probability evenly over all {3} tokens would score ln {3} = {4}.",
        "Antes do passo, a entropia cruzada média sobre as **{0}** previsões deste lote é **{1}** (perplexidade {2}). Um modelo que espalhasse sua probabilidade igualmente pelos {3} tokens teria ln {3} = {4}."
      )
    case .trainStepGradientTitle:
      return (
        "Gradients and updates per tensor (bars: ‖g‖)",
        "Gradientes e atualizações por tensor (barras: ‖g‖)"
      )
    case .tensor: return ("tensor", "tensor")
    case .shape: return ("shape", "forma")
    case .trainStepClipped:
      return (
        "The global gradient norm is **{0}**, above the limit of {1}: every gradient is multiplied by {1} / {0} ≈ **{2}** before AdamW uses it. Clipping keeps one unusual batch from throwing the weights far.",
        "A norma global do gradiente é **{0}**, acima do limite de {1}: todo gradiente é multiplicado por {1} / {0} ≈ **{2}** antes de o AdamW usá-lo. O corte impede que um lote incomum jogue os pesos para longe."
      )
    case .trainStepNotClipped:
      return (
        "The global gradient norm is **{0}**, below the limit of {1}, so clipping leaves the gradients as they are.",
        "A norma global do gradiente é **{0}**, abaixo do limite de {1}, então o corte deixa os gradientes como estão."
      )
    case .trainStepNoClip:
      return (
        "The global gradient norm is **{0}**; clipping is off.",
        "A norma global do gradiente é **{0}**; o corte está desligado."
      )
    case .trainStepLargest:
      return (
        "The largest gradient is in {0} (norm {1}). Relative to its own size, {2} changed most ({3} of its norm) and {4} least ({5}). AdamW divides each gradient by the square root of its own running mean square, so every weight takes a step of at most about the learning rate, whatever the size of its gradient: tensors whose weights are small change most relative to their size.",
        "O maior gradiente está em {0} (norma {1}). Em relação ao próprio tamanho, {2} mudou mais ({3} da sua norma) e {4} menos ({5}). O AdamW divide cada gradiente pela raiz quadrada da média móvel do seu quadrado, então cada peso dá um passo de no máximo cerca da taxa de aprendizado, seja qual for o tamanho do seu gradiente: tensores de pesos pequenos mudam mais em relação ao seu tamanho."
      )
    case .trainStepAdamTitle: return ("AdamW at this step", "AdamW neste passo")
    case .trainStepElementsTitle:
      return (
        "{0}: its first elements through AdamW (g after clipping)",
        "{0}: seus primeiros elementos pelo AdamW (g depois do corte)"
      )
    case .trainStepBiasCorrection:
      return (
        "This is step t = **{0}**. The moments m and v start at zero, so in the first steps they are too small; dividing by 1 − β1ᵗ = {1} and 1 − β2ᵗ = {2} (the bias correction) turns them into m̂ and v̂, estimates of the gradient's mean and of its mean square. Both factors approach 1 as t grows.",
        "Este é o passo t = **{0}**. Os momentos m e v começam em zero, então nos primeiros passos são pequenos demais; dividir por 1 − β1ᵗ = {1} e 1 − β2ᵗ = {2} (a correção de viés) os transforma em m̂ e v̂, estimativas da média do gradiente e da média do seu quadrado. Os dois fatores se aproximam de 1 à medida que t cresce."
      )
    case .trainStepWorkedExample:
      return (
        "Element 0 of {0}, by hand: the gradient after clipping is g = {1}; m = β1·m + (1 − β1)·g = {2} and v = β2·v + (1 − β2)·g² = {3}; m̂ = {4} and v̂ = {5}. The Adam step lr·m̂ / (√v̂ + ε) = {6} and the weight decay lr·λ·θ = {7} are subtracted: θ goes from {8} to **{9}**, the value the engine computed.",
        "O elemento 0 de {0}, à mão: o gradiente depois do corte é g = {1}; m = β1·m + (1 − β1)·g = {2} e v = β2·v + (1 − β2)·g² = {3}; m̂ = {4} e v̂ = {5}. O passo do Adam lr·m̂ / (√v̂ + ε) = {6} e o decaimento de peso lr·λ·θ = {7} são subtraídos: θ vai de {8} para **{9}**, o valor que o motor calculou."
      )
    case .trainStepFirstStep:
      return (
        "At the first step m̂ = g and v̂ = g², so m̂ / √v̂ is +1 or −1: every weight moves by about the learning rate ({0}) against the sign of its gradient, however large or small the gradient is.",
        "No primeiro passo m̂ = g e v̂ = g², então m̂ / √v̂ vale +1 ou −1: cada peso se move cerca da taxa de aprendizado ({0}) contra o sinal do seu gradiente, seja o gradiente grande ou pequeno."
      )
    case .trainStepUpdateRatio:
      return (
        "For {0} the whole update has norm {1}, against a weight norm of {2}: a relative change of **{3}** in one step.",
        "Para {0}, a atualização inteira tem norma {1}, contra uma norma dos pesos de {2}: uma mudança relativa de **{3}** em um passo."
      )
    case .trainStepLossFell:
      return (
        "On the same batch the loss falls from {0} to **{1}** (−{2}): after one step the model predicts these tokens a little better.",
        "No mesmo lote a perda cai de {0} para **{1}** (−{2}): depois de um passo o modelo prevê estes tokens um pouco melhor."
      )
    case .trainStepLossRose:
      return (
        "On the same batch the loss goes from {0} to **{1}** (+{2}): this step was too large for this batch; a smaller learning rate would move less.",
        "No mesmo lote a perda vai de {0} para **{1}** (+{2}): este passo foi grande demais para este lote; uma taxa de aprendizado menor andaria menos."
      )
    case .cacheLabel: return ("cache", "cache")
    case .cacheReused: return ("reused {0}", "reutilizado {0}")
    case .cacheWritten: return ("written {0}", "gravado {0}")
    case .cacheNotWritten: return ("could not write {0}", "não foi possível gravar {0}")
    case .trainingSpeed: return ("training speed", "velocidade de treino")
    case .trainRunTitle: return ("Training run", "Treinamento")
    case .trainTokens: return ("training tokens", "tokens de treino")
    case .validationTokens: return ("validation tokens (held out)", "tokens de validação (separados)")
    case .steps: return ("steps", "passos")
    case .tokensSeen: return ("tokens seen", "tokens vistos")
    case .passes: return ("passes over the training text", "passadas pelo texto de treino")
    case .trainSchedule:
      return (
        "warmup for {0} steps to {1}, then cosine decay to {2}",
        "aquecimento por {0} passos até {1}, depois decaimento cosseno até {2}"
      )
    case .seed: return ("seed", "semente")
    case .lossCurveTitle: return ("Loss during training", "Perda durante o treino")
    case .step: return ("step", "passo")
    case .lossLabel: return ("loss", "perda")
    case .trainBatchSeries: return ("train (batches)", "treino (lotes)")
    case .trainSeries: return ("train", "treino")
    case .validationSeries: return ("validation", "validação")
    case .validationTableTitle:
      return (
        "Loss on fixed training and validation windows",
        "Perda em janelas fixas de treino e de validação"
      )
    case .perplexity: return ("perplexity (validation)", "perplexidade (validação)")
    case .trainLossFell:
      return (
        "Training loss went from **{0}** to **{1}** in {2} steps, {3} passes over the training text.",
        "A perda de treino foi de **{0}** para **{1}** em {2} passos, {3} passadas pelo texto de treino."
      )
    case .trainValidation:
      return (
        "On the validation text, which the model never trains on, the loss went from {0} to **{1}**: perplexity **{2}**, as unsure as choosing uniformly among {2} tokens.",
        "No texto de validação, com o qual o modelo nunca treina, a perda foi de {0} para **{1}**: perplexidade **{2}**, tão incerto quanto escolher uniformemente entre {2} tokens."
      )
    case .trainValidationWorse:
      return (
        "On the validation text, which the model never trains on, the loss went from {0} to **{1}**: perplexity **{2}**, worse than a uniform guess over all {3} tokens — on text it has not seen, the model is confidently wrong.",
        "No texto de validação, com o qual o modelo nunca treina, a perda foi de {0} para **{1}**: perplexidade **{2}**, pior que um chute uniforme entre todos os {3} tokens — em texto que não viu, o modelo erra com confiança."
      )
    case .trainOverfitting:
      return (
        "Validation loss was lowest at step {0} ({1}) and then rose to {2}, while training loss kept falling (from {3} to {4}): the model is memorising its training text instead of learning what carries over to new text. This is **overfitting**; stopping at step {0}, more data or a smaller model would help.",
        "A perda de validação foi mínima no passo {0} ({1}) e depois subiu para {2}, enquanto a perda de treino continuou caindo (de {3} para {4}): o modelo está decorando o texto de treino em vez de aprender o que vale para textos novos. Isto é **sobreajuste** (overfitting); parar no passo {0}, mais dados ou um modelo menor ajudariam."
      )
    case .trainStillLearning:
      return (
        "Validation loss is lowest at the last check ({0}): the model has not started to overfit.",
        "A perda de validação é mínima na última verificação ({0}): o modelo ainda não começou a sobreajustar."
      )
    case .trainPlateau:
      return (
        "Validation loss was lowest at step {0} ({1}) and is {2} at the end: it has stopped improving.",
        "A perda de validação foi mínima no passo {0} ({1}) e está em {2} no fim: parou de melhorar."
      )
    case .trainGap:
      return (
        "At the end: training {0}, validation {1}, a gap of {2}.",
        "No fim: treino {0}, validação {1}, uma diferença de {2}."
      )
    case .tokensPerSecond: return ("tokens/s", "tokens/s")
    case .samplingTitle: return ("Sampling", "Amostragem")
    case .temperature: return ("temperature", "temperatura")
    case .greedy: return ("0 (greedy: always the most likely token)", "0 (gulosa: sempre o token mais provável)")
    case .promptTokens: return ("prompt tokens", "tokens do prompt")
    case .newTokens: return ("new tokens", "tokens novos")
    case .drawn: return ("drawn", "sorteado")
    case .generateStepTitle: return ("Step {0}: the token after «{1}»", "Passo {0}: o token depois de «{1}»")
    case .generateStepTitleKept:
      return (
        "Step {0}: the token after «{1}» — {2} of {3} tokens can be drawn",
        "Passo {0}: o token depois de «{1}» — {2} de {3} tokens podem ser sorteados"
      )
    case .token: return ("token", "token")
    case .modelProbability: return ("model p", "p do modelo")
    case .sampledProbability: return ("sampled p", "p amostrada")
    case .generateGreedy:
      return (
        "Temperature 0 is greedy decoding: at every step the most likely token is taken, here first {0} with probability {1}. The same prompt always gives the same text.",
        "Temperatura 0 é a decodificação gulosa: a cada passo se toma o token mais provável, aqui primeiro {0} com probabilidade {1}. O mesmo prompt sempre dá o mesmo texto."
      )
    case .generateTemperatureSharper:
      return (
        "Temperature {0} divides the logits by {0} before the softmax. Below 1 this sharpens the distribution: the most likely token, {1}, goes from {2} to **{3}**.",
        "A temperatura {0} divide os logits por {0} antes do softmax. Abaixo de 1 isso concentra a distribuição: o token mais provável, {1}, vai de {2} para **{3}**."
      )
    case .generateTemperatureFlatter:
      return (
        "Temperature {0} divides the logits by {0} before the softmax. Above 1 this flattens the distribution: the most likely token, {1}, goes from {2} to **{3}**, and unlikely tokens gain.",
        "A temperatura {0} divide os logits por {0} antes do softmax. Acima de 1 isso achata a distribuição: o token mais provável, {1}, vai de {2} para **{3}**, e tokens improváveis ganham."
      )
    case .generateTopK:
      return (
        "Top-k keeps the **{0}** most likely of the {1} tokens and renormalises them to add up to 1: {2} goes from {3} to **{4}**.",
        "O top-k mantém os **{0}** mais prováveis dos {1} tokens e os renormaliza para somarem 1: {2} vai de {3} para **{4}**."
      )
    case .generateTopP:
      return (
        "Top-p {0} keeps the smallest set of most likely tokens whose probabilities add up to at least {0}: here **{1}** tokens. After renormalising, {2} goes from {3} to **{4}**.",
        "O top-p {0} mantém o menor conjunto de tokens mais prováveis cujas probabilidades somam pelo menos {0}: aqui **{1}** tokens. Depois de renormalizar, {2} vai de {3} para **{4}**."
      )
    case .generateNoFilter:
      return (
        "Without top-k or top-p, any of the {0} tokens can be drawn, however unlikely.",
        "Sem top-k nem top-p, qualquer um dos {0} tokens pode ser sorteado, por mais improvável que seja."
      )
    case .generatedTitle:
      return (
        "Prompt and generated tokens (colour: probability of the token drawn)",
        "Prompt e tokens gerados (cor: probabilidade do token sorteado)"
      )
    case .generateResult: return ("The model wrote {0} tokens: {1}", "O modelo escreveu {0} tokens: {1}")
    case .generateLeastLikely:
      return (
        "The least likely choice was at step {0}: {1}, drawn with probability {2}.",
        "A escolha menos provável foi no passo {0}: {1}, sorteado com probabilidade {2}."
      )
    case .kvCacheTitle: return ("KV cache", "Cache KV")
    case .positionsCached: return ("positions cached", "posições no cache")
    case .bytesPerPosition:
      return (
        "bytes per position (layers × K,V × C × 4 bytes)",
        "bytes por posição (camadas × K,V × C × 4 bytes)"
      )
    case .bytesFilled: return ("bytes used", "bytes usados")
    case .bytesCapacity: return ("bytes for the whole context", "bytes para o contexto inteiro")
    case .generateCache:
      return (
        "The cache now holds keys and values for {0} positions in each of the {1} layers, {2} numbers each: {3}. Filled to the context of {4} positions it would take {5}.",
        "O cache agora guarda chaves e valores de {0} posições em cada uma das {1} camadas, {2} números cada: {3}. Cheio até o contexto de {4} posições ocuparia {5}."
      )
    case .withCache: return ("with KV cache", "com cache KV")
    case .withoutCache: return ("without cache", "sem cache")
    case .measuredSpeedup: return ("measured speed-up", "aceleração medida")
    case .kvIdentical:
      return (
        "With and without the cache the model generates the same {0} tokens: the cache changes how much is computed, not what.",
        "Com e sem o cache o modelo gera os mesmos {0} tokens: o cache muda quanto se calcula, não o quê."
      )
    case .kvDifferent:
      return (
        "The two ways first differ at token {0}: the cached and uncached paths add numbers in a different order, and a near-tie between two tokens can tip either way.",
        "Os dois caminhos diferem primeiro no token {0}: com e sem cache as somas são feitas em ordens diferentes, e um quase empate entre dois tokens pode pender para qualquer lado."
      )
    case .kvWorkTitle:
      return (
        "Work for each new token (multiply-adds, in millions)",
        "Trabalho para cada token novo (multiplicações-somas, em milhões)"
      )
    case .positions: return ("positions", "posições")
    case .rowsWithout: return ("rows without cache", "linhas sem cache")
    case .rowsWith: return ("rows with cache", "linhas com cache")
    case .macsWithout: return ("without (M)", "sem (M)")
    case .macsWith: return ("with (M)", "com (M)")
    case .kvChartTitle: return ("Multiply-adds per new token", "Multiplicações-somas por token novo")
    case .macsMillions: return ("millions of multiply-adds", "milhões de multiplicações-somas")
    case .kvWork:
      return (
        "Without the cache, token {0} runs all {1} positions through every layer again: {2} million multiply-adds. With the cache only the newest position goes through the layers, and its query reads the stored keys and values: {3} million. Over the whole generation that is **{4}×** less work, and the gap widens as the text grows.",
        "Sem o cache, o token {0} passa todas as {1} posições por todas as camadas de novo: {2} milhões de multiplicações-somas. Com o cache só a posição mais nova passa pelas camadas, e sua consulta lê as chaves e valores guardados: {3} milhões. Na geração inteira são **{4}×** menos trabalho, e a diferença cresce com o texto."
      )
    case .kvBytes:
      return (
        "The price is memory: each position keeps a key vector and a value vector in each of the {0} layers, {1} numbers each at 4 bytes — {2} bytes per position. After this generation the cache holds {3} positions, {4}; the full context of {5} positions would need {6}.",
        "O preço é memória: cada posição guarda um vetor de chave e um de valor em cada uma das {0} camadas, {1} números cada, a 4 bytes — {2} bytes por posição. Depois desta geração o cache guarda {3} posições, {4}; o contexto inteiro de {5} posições precisaria de {6}."
      )
    case .backendsNoGPU:
      return (
        "No Vulkan GPU here — {0}. This comparison uses the {1} backend instead, so the lesson still runs.",
        "Sem GPU Vulkan aqui — {0}. Esta comparação usa o backend {1} no lugar, então a lição ainda roda."
      )
    case .stepTime: return ("step time", "tempo do passo")
    case .timeRatio: return ("time ratio (second / first)", "razão de tempo (segundo / primeiro)")
    case .cpuBackend: return ("CPU", "CPU")
    case .referenceBackend: return ("reference", "referência")
    case .vulkanBackend: return ("GPU (Vulkan)", "GPU (Vulkan)")
    case .backendsSummaryTitle:
      return (
        "The same training step on two backends",
        "O mesmo passo de treino em dois backends"
      )
    case .largestDifference: return ("largest difference", "maior diferença")
    case .gradients: return ("gradients", "gradientes")
    case .weightsAfterStep: return ("weights after the step", "pesos depois do passo")
    case .backendsTensorTitle:
      return (
        "Tensors with the largest gradient differences",
        "Tensores com as maiores diferenças de gradiente"
      )
    case .backendsSame:
      return (
        "{0} and {1} start from the same weights and the same batch of {2} tokens. Their losses are {3} and {4}: a difference of **{5}**.",
        "{0} e {1} partem dos mesmos pesos e do mesmo lote de {2} tokens. Suas perdas são {3} e {4}: uma diferença de **{5}**."
      )
    case .backendsSameLoss:
      return (
        "{0} and {1} start from the same weights and the same batch of {2} tokens. Their losses are equal, **{3}**: the loss is a mean over all positions, and here the two means round to the same float32 number.",
        "{0} e {1} partem dos mesmos pesos e do mesmo lote de {2} tokens. Suas perdas são iguais, **{3}**: a perda é uma média sobre todas as posições, e aqui as duas médias arredondam para o mesmo número float32."
      )
    case .backendsGradients:
      return (
        "The largest gradient difference is **{0}**, where the largest gradient is {1}; after the AdamW step the weights differ by at most **{2}**. The two agree to about {3} significant digits.",
        "A maior diferença de gradiente é **{0}**, sendo o maior gradiente {1}; depois do passo do AdamW os pesos diferem no máximo **{2}**. Os dois concordam em cerca de {3} algarismos significativos."
      )
    case .backendsWhy:
      return (
        "Why not exactly equal? Both compute in 32-bit floating point, where every addition rounds. A sum of many numbers depends on the order of its additions, and each backend splits its sums differently (threads, tiles, GPU workgroups). These differences are rounding, not mistakes: a bug would show up as differences many orders of magnitude larger.",
        "Por que não exatamente iguais? Os dois calculam em ponto flutuante de 32 bits, em que cada adição arredonda. Uma soma de muitos números depende da ordem das adições, e cada backend divide suas somas de um jeito (threads, blocos, grupos de trabalho da GPU). Essas diferenças são arredondamento, não erros: um defeito apareceria como diferenças muitas ordens de grandeza maiores."
      )
    case .backendsAdamAmplifies:
      return (
        "The weights can differ more than the gradients: AdamW divides each gradient by √v̂ + ε, so where a gradient is almost zero, close to ε, a tiny difference in it changes the step noticeably (here in {0}).",
        "Os pesos podem diferir mais que os gradientes: o AdamW divide cada gradiente por √v̂ + ε, então onde um gradiente é quase zero, perto de ε, uma diferença mínima nele muda o passo de forma visível (aqui em {0})."
      )
    case .backendsSoftware:
      return (
        "This Vulkan device is a software driver (such as Mesa's lavapipe) that runs the GPU code on the CPU: it shows that the GPU backend computes correctly, but it is slower than the CPU backend. On a real GPU the same code runs on the graphics card.",
        "Este dispositivo Vulkan é um driver de software (como o lavapipe do Mesa) que roda o código da GPU na CPU: ele mostra que o backend de GPU calcula corretamente, mas é mais lento que o backend de CPU. Numa GPU de verdade o mesmo código roda na placa de vídeo."
      )
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
