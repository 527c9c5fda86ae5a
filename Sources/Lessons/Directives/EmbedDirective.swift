// {embed}: the model's first step (GPT-2, Radford et al. 2019; llm.c encoder_forward): each token id
// selects its row of the token embedding wte, each position its row of the position embedding
// wpe, and their sum is the vector the blocks read — the engine's `encoded` activation, read by
// name. Shows the first dimensions of each, their norms, and the cosine similarity of the tokens.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{embed} o gato e o rato
//     :dims: 6
//     :expect: sum-error < 1e-6
//     ```
import LessonModel
import MiniGPT

public struct EmbedDirective: Directive {
  public static let name = "embed"
  public static let summary = "Show token and position embeddings, their sum, norms and token similarities."
  public static let argument = ArgumentRule.optional("the text (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("dims", default: 8, in: 1...64, help: "embedding dimensions to show"),
    .int("rows", default: 12, in: 1...256, help: "tokens to show in the tables"),
    .bool("similarity", default: true, help: "show the token-similarity heatmap"),
  ]
  public static let results = [
    ResultSpec("tokens"), ResultSpec("width"),
    ResultSpec("sum-error", "largest |encoded − (wte row + wpe row)|"),
    ResultSpec("max-similarity", "largest cosine between two different tokens"),
    ResultSpec("token-norm", "mean norm of the tokens' wte rows"),
    ResultSpec("position-norm", "mean norm of the positions' wpe rows"),
  ]

  let text: String?
  let dims: Int
  let rows: Int
  let similarity: Bool

  public init(_ invocation: Invocation) throws {
    text = invocation.arguments.isEmpty ? nil : invocation.arguments
    dims = invocation.int("dims") ?? 8
    rows = invocation.int("rows") ?? 12
    similarity = invocation.bool("similarity")
  }

  public func run(_ session: Session) throws -> [Output] {
    let pass = try ForwardPass.run(text, directive: Self.name, session: session)
    let T = pass.tokenCount, C = pass.config.embeddingSize
    let tokenRows = pass.ids.map { pass.parameterRow("wte.weight", $0) }
    let positionRows = (0..<T).map { pass.parameterRow("wpe.weight", $0) }
    let encoded = try pass.activation("encoded")
    var sumError: Float = 0
    for t in 0..<T {
      for c in 0..<C { sumError = max(sumError, abs(encoded[t * C + c] - (tokenRows[t][c] + positionRows[t][c]))) }
    }
    let tokenNorms = tokenRows.map { norm($0) }, positionNorms = positionRows.map { norm($0) }
    let sumNorms = (0..<T).map { norm(ForwardPass.row(encoded, $0, width: C)) }
    let similarities = (0..<T).map { i in (0..<T).map { j in cosine(tokenRows[i], tokenRows[j]) } }
    let meanTokenNorm = tokenNorms.reduce(0, +) / Float(T), meanPositionNorm = positionNorms.reduce(0, +) / Float(T)
    session.report("tokens", T)
    session.report("width", C)
    session.report("sum-error", Double(sumError))
    session.report("token-norm", Double(meanTokenNorm))
    session.report("position-norm", Double(meanPositionNorm))

    let positionLabels = (0..<T).map { "\(pass.labels[$0])@\($0)" }
    var outputs: [Output] = [
      .tokenStrip(
        TokenStrip(
          title: session.text(.tokenizeTokensTitle),
          pieces: zip(pass.labels, pass.ids).map { TokenPiece(text: $0, id: $1) })),
      .tensorPreview(
        TensorPreview(
          name: session.text(.embedTokenRows), shape: [T, C], values: tokenRows.flatMap { $0 },
          rows: T, columns: C, rowLabels: pass.labels, maxRows: rows, maxColumns: dims)),
      .tensorPreview(
        TensorPreview(
          name: session.text(.embedPositionRows), shape: [T, C], values: positionRows.flatMap { $0 },
          rows: T, columns: C, rowLabels: (0..<T).map(String.init), maxRows: rows, maxColumns: dims)),
      .tensorPreview(
        TensorPreview(
          name: "encoded = wte[id] + wpe[t]", shape: [T, C], values: encoded, rows: T, columns: C,
          rowLabels: positionLabels, maxRows: rows, maxColumns: dims)),
      .table(
        Table(
          title: session.text(.embedNormsTitle),
          headers: ["t", session.text(.embedToken), "id", "‖wte[id]‖", "‖wpe[t]‖", "‖encoded‖"],
          rows: (0..<min(T, rows)).map { t in
            [
              String(t), pass.labels[t], String(pass.ids[t]), ValueFormat.fixed(3).string(for: tokenNorms[t]),
              ValueFormat.fixed(3).string(for: positionNorms[t]), ValueFormat.fixed(3).string(for: sumNorms[t]),
            ]
          },
          alignments: [.right, .left, .right, .right, .right, .right],
          barValues: Array(sumNorms.prefix(rows)).map(Double.init))),
    ]
    if similarity, T > 1 {
      outputs.append(
        .heatmap(
          Heatmap(
            title: session.text(.embedSimilarityTitle), rowLabels: pass.labels,
            columnLabels: pass.labels, values: similarities, format: .fixed(2),
            scale: .diverging, range: -1...1)))
    }
    outputs.append(
      .explanation(
        session.richText(
          .embedExplanation,
          [
            TextSpan(String(T)), TextSpan(String(C)), TextSpan(ValueFormat.scientific(1).string(for: sumError)),
            TextSpan(ValueFormat.fixed(3).string(for: meanTokenNorm)),
            TextSpan(ValueFormat.fixed(3).string(for: meanPositionNorm)),
          ])))
    if let pair = mostSimilarPair(pass, similarities) {
      session.report("max-similarity", Double(pair.value))
      outputs.append(
        .explanation(
          session.richText(
            .embedSimilarPair,
            [
              TextSpan(pass.word(pair.i), style: .code), TextSpan(pass.word(pair.j), style: .code),
              TextSpan(ValueFormat.fixed(2).string(for: pair.value)),
            ])))
    }
    if let repeated = repeatedToken(pass) {
      let a = ForwardPass.row(encoded, repeated.first, width: C), b = ForwardPass.row(encoded, repeated.second, width: C)
      outputs.append(
        .explanation(
          session.richText(
            .embedRepeatedToken,
            [
              TextSpan(pass.word(repeated.first), style: .code), TextSpan(String(repeated.first)),
              TextSpan(String(repeated.second)),
              TextSpan(ValueFormat.fixed(2).string(for: cosine(a, b))),
            ])))
    }
    return outputs
  }

  /// The two different token ids with the largest cosine similarity.
  private func mostSimilarPair(_ pass: ForwardPass, _ similarities: [[Float]]) -> (i: Int, j: Int, value: Float)? {
    var best: (i: Int, j: Int, value: Float)?
    for i in 0..<pass.tokenCount {
      for j in 0..<i where pass.ids[i] != pass.ids[j] && similarities[i][j] > (best?.value ?? -.infinity) {
        best = (j, i, similarities[i][j])
      }
    }
    return best
  }

  /// The first token id that occurs twice: same wte row, different positions.
  private func repeatedToken(_ pass: ForwardPass) -> (first: Int, second: Int)? {
    for j in 0..<pass.tokenCount {
      if let i = pass.ids[..<j].firstIndex(of: pass.ids[j]) { return (i, j) }
    }
    return nil
  }
}
