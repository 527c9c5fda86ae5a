// {tokenize}: how byte-level BPE (GPT-2, Radford et al. 2019 §2.2; Sennrich et al. 2016) turns a
// text into ids: pre-tokens, their bytes, the merges applied in order (pair → new id), the ids and
// pieces — the session tokenizer's own trace (BPETokenizer.explain), not a re-implementation.
// With a body or `:train-on:`, it first trains a small tokenizer there and shows the first merges
// it learned, with how often each pair occurred (`:training-view:`).
//
//     ```{tokenize} o gato subiu no telhado
//     :training-view: 5
//     :vocab-size: 270
//     :expect: tokens < 20; roundtrip = 1
//     o gato subiu no telhado; o gato desceu do telhado.
//     ```
import Foundation
import LessonModel
import Tokenizer

public struct TokenizeDirective: Directive {
  public static let name = "tokenize"
  public static let summary = "Show how a text becomes tokens: pre-tokens, bytes, merges in order, ids."
  public static let argument = ArgumentRule.optional("the text (default: the last text)")
  public static let body = BodyRule.optional
  public static let options: [OptionSpec] = [
    .path("train-on", help: "train a tokenizer on this text file first (instead of the body)"),
    .int("training-view", in: 0...10_000, help: "learned merges to show, first ones first"),
    .int("vocab-size", in: 1...1_000_000, help: "vocabulary of the tokenizer trained here"),
    .int("merges", default: 24, in: 0...10_000, help: "merge steps of the encoding to list"),
  ]
  public static let results = [
    ResultSpec("characters"), ResultSpec("bytes"), ResultSpec("pre-tokens"), ResultSpec("merges"),
    ResultSpec("tokens"), ResultSpec("roundtrip", "1 when decoding the ids gives back the text"),
    ResultSpec("vocab", "the tokenizer's vocabulary size"),
    ResultSpec("learned-merges", "merges the training run learned"),
    ResultSpec("first-merge-count", "how often the first learned pair occurred"),
  ]

  let text: String?
  let trainingText: String?
  let trainOn: URL?
  let trainingView: Int
  let vocabularySize: Int?
  let mergeLimit: Int

  public init(_ invocation: Invocation) throws {
    text = invocation.arguments.isEmpty ? nil : invocation.arguments
    let body = invocation.body.trimmingCharacters(in: .newlines)
    trainingText = body.isEmpty ? nil : body + "\n"
    trainOn = invocation.path("train-on")
    vocabularySize = invocation.int("vocab-size")
    mergeLimit = invocation.int("merges") ?? 24
    if trainOn != nil, trainingText != nil {
      throw ValidationProblem(option: "train-on", "give the training text either as the body or with ':train-on:', not both")
    }
    let trains = trainOn != nil || trainingText != nil
    if !trains, let option = ["training-view", "vocab-size"].first(where: { invocation.values[$0] != nil }) {
      throw ValidationProblem(option: option, "':\(option):' needs a text to train on: a body or ':train-on: FILE'")
    }
    trainingView = invocation.int("training-view") ?? (trains ? 10 : 0)
    let minimum = 256 + BPETokenizer.defaultSpecialTokens.count
    if let vocabularySize, vocabularySize < minimum {
      throw ValidationProblem(
        option: "vocab-size",
        "a byte-level tokenizer needs at least \(minimum) tokens (256 bytes and \(minimum - 256) special tokens)")
    }
  }

  public func run(_ session: Session) throws -> [Output] {
    guard let text = text ?? session.lastText else {
      throw LessonError.directiveFailed("no text yet: write it after {tokenize}, or set it with {text} first")
    }
    var outputs: [Output] = []
    let tokenizer: BPETokenizer
    if let training = try trainingResult(session) {
      tokenizer = training.result.tokenizer
      outputs += trainingOutputs(training.result, corpus: training.corpus, corpusBytes: training.bytes, session)
    } else {
      tokenizer = try session.tokenizer()
    }
    let explanation = tokenizer.explain(text)
    let labels = explanation.ids.map { tokenLabel(tokenizer.bytes(of: $0) ?? []) }
    let mergeCount = explanation.preTokens.reduce(0) { $0 + $1.merges.count }
    let roundtrip = (try? tokenizer.decode(explanation.ids)) == text
    session.lastText = text
    session.lastTokenIDs = explanation.ids
    session.report("characters", text.count)
    session.report("bytes", text.utf8.count)
    session.report("pre-tokens", explanation.preTokens.count)
    session.report("merges", mergeCount)
    session.report("tokens", explanation.ids.count)
    session.report("roundtrip", roundtrip ? 1 : 0)
    session.report("vocab", tokenizer.vocabularySize)

    outputs.append(
      .tokenStrip(
        TokenStrip(
          title: session.text(.tokenizeTokensTitle),
          pieces: zip(labels, explanation.ids).map { TokenPiece(text: $0, id: $1) })))
    outputs.append(.table(preTokenTable(explanation, tokenizer, session)))
    if mergeCount > 0, mergeLimit > 0 { outputs.append(.table(mergeTable(explanation, tokenizer, session))) }
    outputs.append(.explanation(summary(text, explanation, labels: labels, merges: mergeCount, session)))
    if !roundtrip { outputs.append(.warning(session.richText(.tokenizeNoRoundtrip, []))) }
    return outputs
  }

  // MARK: Training view

  private func trainingResult(_ session: Session) throws -> (result: TrainingResult, corpus: String, bytes: Int)? {
    let corpus: [UInt8], name: String
    if let trainOn {
      name = displayPath(trainOn, session)
      corpus = try TrainingRecipe.read(trainOn, shownAs: name)
    } else if let trainingText {
      name = session.text(.tokenizeBodyCorpus)
      corpus = Array(trainingText.utf8)
    } else {
      return nil
    }
    let size = vocabularySize ?? (256 + BPETokenizer.defaultSpecialTokens.count + max(trainingView, 30))
    let result = try BPETrainer(vocabularySize: size).train(corpus: corpus, source: name)
    return (result, name, corpus.count)
  }

  private func trainingOutputs(_ result: TrainingResult, corpus: String, corpusBytes: Int, _ session: Session) -> [Output] {
    let tokenizer = result.tokenizer
    func piece(_ id: Int) -> String { tokenLabel(tokenizer.bytes(of: id) ?? []) }
    session.report("learned-merges", result.merges.count)
    if let first = result.merges.first { session.report("first-merge-count", first.count) }
    let shown = result.merges.prefix(trainingView)
    var outputs: [Output] = []
    if !shown.isEmpty {
      outputs.append(
        .table(
          Table(
            title: session.text(.tokenizeLearnedTitle, String(shown.count), String(result.merges.count)),
            headers: [
              "#", session.text(.tokenizeLeft), session.text(.tokenizeRight), session.text(.tokenizeNewToken),
              "id", session.text(.tokenizePairCount),
            ],
            rows: shown.map {
              [
                String($0.rank + 1), piece($0.left), piece($0.right), piece($0.merged), String($0.merged),
                String($0.count),
              ]
            },
            alignments: [.right, .left, .left, .left, .right, .right],
            barValues: shown.map { Double($0.count) })))
    }
    if let first = result.merges.first {
      outputs.append(
        .explanation(
          session.richText(
            .tokenizeTrainingExplanation,
            [
              TextSpan(corpus), TextSpan(ValueFormat.grouped(corpusBytes)), TextSpan(ValueFormat.grouped(result.preTokenCount)),
              TextSpan(ValueFormat.grouped(result.distinctPreTokenCount)), TextSpan(String(result.merges.count)),
              TextSpan(piece(first.left), style: .code), TextSpan(piece(first.right), style: .code),
              TextSpan(piece(first.merged), style: .code), TextSpan(String(first.count)),
              TextSpan(String(tokenizer.vocabularySize)),
            ])))
    } else {
      outputs.append(.explanation(session.richText(.tokenizeNothingLearned, [TextSpan(corpus)])))
    }
    return outputs
  }

  // MARK: Encoding trace

  private func preTokenTable(_ explanation: EncodingExplanation, _ tokenizer: BPETokenizer, _ session: Session) -> Table {
    let rows = explanation.preTokens.map { pre -> [String] in
      [
        tokenLabel(pre.bytes),
        pre.bytes.map { String($0, radix: 16, uppercase: true).leftPadded(2) }.joined(separator: " "),
        String(pre.merges.count),
        pre.ids.map { tokenLabel(tokenizer.bytes(of: $0) ?? []) }.joined(separator: " · "),
        pre.ids.map(String.init).joined(separator: " "),
      ]
    }
    return Table(
      title: session.text(.tokenizePreTokensTitle),
      headers: [
        session.text(.tokenizePreToken), "bytes (UTF-8)", session.text(.tokenizeMerges),
        session.text(.tokenizePieces), "ids",
      ],
      rows: rows, alignments: [.left, .left, .right, .left, .left])
  }

  private func mergeTable(_ explanation: EncodingExplanation, _ tokenizer: BPETokenizer, _ session: Session) -> Table {
    func piece(_ id: Int) -> String { tokenLabel(tokenizer.bytes(of: id) ?? []) }
    var rows: [[String]] = []
    var total = 0
    for pre in explanation.preTokens {
      for step in pre.merges {
        total += 1
        guard rows.count < mergeLimit else { continue }
        rows.append([
          String(total), tokenLabel(pre.bytes), piece(step.left) + " + " + piece(step.right),
          piece(step.merged), String(step.merged), String(step.rank + 1),
        ])
      }
    }
    if total > rows.count { rows.append(["…", session.text(.tokenizeMoreMerges, String(total - rows.count)), "", "", "", ""]) }
    return Table(
      title: session.text(.tokenizeMergesTitle),
      headers: [
        "#", session.text(.tokenizePreToken), session.text(.tokenizePair), session.text(.tokenizeNewToken),
        "id", session.text(.tokenizeRank),
      ],
      rows: rows, alignments: [.right, .left, .left, .left, .right, .right])
  }

  private func summary(
    _ text: String, _ explanation: EncodingExplanation, labels: [String], merges: Int,
    _ session: Session
  ) -> RichText {
    let perToken = Double(text.count) / Double(max(explanation.ids.count, 1))
    let longest = labels.indices.max { labels[$0].count < labels[$1].count }
    return session.richText(
      .tokenizeExplanation,
      [
        TextSpan(String(text.count)), TextSpan(String(text.utf8.count)), TextSpan(String(explanation.preTokens.count)),
        TextSpan(String(merges)), TextSpan(String(explanation.ids.count)),
        TextSpan(ValueFormat.fixed(2).string(for: perToken)),
        TextSpan(longest.map { labels[$0] } ?? "", style: .code),
      ])
  }
}
