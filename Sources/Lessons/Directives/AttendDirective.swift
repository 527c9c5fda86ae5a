// {attend}: causal self-attention in one layer (Vaswani et al. 2017 §3.2; GPT-2's masked heads):
// for a head, the query, key and value of each token (slices of `h.L.attn.qkv`), the scaled scores
// q·k/√d (`attn.scores`), the causal mask, the softmax weights (`attn.probs`) as a heatmap
// labelled with the tokens, and the weighted sum of values (`attn.out`) — all read from the engine
// — with an explanation computed from the weights. `:heads: all` compares every head of the layer.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{attend} O gato subiu no telhado
//     :layer: 1
//     :head: 2
//     :expect: row-sum-error < 1e-5; future-weight = 0
//     ```
import LessonModel
import MiniGPT

public struct AttendDirective: Directive {
  public static let name = "attend"
  public static let summary = "Show one attention head (or all): Q, K, V, scores, mask, weights and the weighted sum."
  public static let argument = ArgumentRule.optional("the text (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("layer", default: 0, in: -1024...1023, help: "the block (0 is the first, -1 the last)"),
    .int("head", in: 0...1023, help: "the head (default 0)"),
    .choice("heads", ["all"], help: "'all' compares every head of the layer"),
    .int("dims", default: 8, in: 1...64, help: "dimensions of Q, K, V to show"),
  ]
  public static let results = [
    ResultSpec("tokens"), ResultSpec("head-size"),
    ResultSpec("row-sum-error", "largest |Σ weights − 1| over the rows"),
    ResultSpec("future-weight", "largest weight on a later token (the mask makes it 0)"),
    ResultSpec("max-weight", "largest weight a token puts on an earlier token"),
    ResultSpec("top", "the token the last token attends to most"),
  ]

  let text: String?
  /// As written: negative counts from the last block (-1 is the last).
  let requestedLayer: Int
  let head: Int?
  let dims: Int

  public init(_ invocation: Invocation) throws {
    text = invocation.arguments.isEmpty ? nil : invocation.arguments
    requestedLayer = invocation.int("layer") ?? 0
    dims = invocation.int("dims") ?? 8
    if invocation.string("heads") != nil {
      if invocation.int("head") != nil {
        throw ValidationProblem(option: "heads", "give either ':head: N' or ':heads: all', not both")
      }
      head = nil
    } else {
      head = invocation.int("head") ?? 0
    }
  }

  /// One head's matrices for a pass, each (T, T) row-major.
  struct HeadWeights {
    let scores: [Float]
    let probs: [Float]
    let T: Int
    func weight(_ t: Int, _ j: Int) -> Float { probs[t * T + j] }
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let NH = model.config.headCount
    let layer = try resolvedLayer(requestedLayer, layerCount: model.config.layerCount)
    if let head, head >= NH {
      throw LessonError.directiveFailed("head \(head) does not exist: this model has \(NH) heads per layer (0…\(NH - 1))")
    }
    let pass = try ForwardPass.run(text, directive: Self.name, session: session)
    let T = pass.tokenCount
    let h = "h.\(layer)."
    let allScores = try pass.activation(h + "attn.scores"), allProbs = try pass.activation(h + "attn.probs")
    let heads = (0..<NH).map { n in
      HeadWeights(
        scores: Array(allScores[(n * T * T)..<((n + 1) * T * T)]),
        probs: Array(allProbs[(n * T * T)..<((n + 1) * T * T)]), T: T)
    }
    reportChecks(heads, pass, session)
    if let head {
      return try oneHead(head, heads[head], layer: layer, pass, session)
    }
    return allHeads(heads, layer: layer, pass, session)
  }

  private func reportChecks(_ heads: [HeadWeights], _ pass: ForwardPass, _ session: Session) {
    let T = pass.tokenCount
    var rowError: Float = 0, future: Float = 0
    for weights in heads.indices.filter({ head == nil || $0 == head }).map({ heads[$0] }) {
      for t in 0..<T {
        rowError = max(rowError, abs((0..<T).reduce(Float(0)) { $0 + weights.weight(t, $1) } - 1))
        for j in (t + 1)..<max(t + 1, T) { future = max(future, weights.weight(t, j)) }
      }
    }
    session.report("tokens", T)
    session.report("head-size", pass.config.headSize)
    session.report("row-sum-error", Double(rowError))
    session.report("future-weight", Double(future))
  }

  private func mask(_ T: Int) -> [[Bool]] { (0..<T).map { t in (0..<T).map { $0 > t } } }

  /// The (T, T) matrix as rows, masked cells set to 0 (the engine keeps −∞ there).
  private func matrix(_ values: [Float], _ T: Int) -> [[Float]] {
    (0..<T).map { t in (0..<T).map { j in j > t ? 0 : values[t * T + j] } }
  }

  private func oneHead(
    _ head: Int, _ weights: HeadWeights, layer: Int, _ pass: ForwardPass, _ session: Session
  ) throws -> [Output] {
    let T = pass.tokenCount, C = pass.config.embeddingSize, HS = pass.config.headSize
    let qkv = try pass.activation("h.\(layer).attn.qkv"), out = try pass.activation("h.\(layer).attn.out")
    func slice(_ source: [Float], width: Int, start: Int) -> [Float] {
      (0..<T).flatMap { t in source[(t * width + start)..<(t * width + start + HS)] }
    }
    func preview(_ name: String, _ values: [Float]) -> Output {
      .tensorPreview(
        TensorPreview(
          name: name, shape: [T, HS], values: values, rows: T, columns: HS,
          rowLabels: pass.labels, maxRows: 16, maxColumns: dims))
    }
    let h = "h.\(layer)", columns = "[\(head * HS)…\(head * HS + HS - 1)]"
    var outputs: [Output] = [
      preview("Q = \(h).attn.qkv[:, \(head * HS)…]", slice(qkv, width: 3 * C, start: head * HS)),
      preview("K = \(h).attn.qkv[:, \(C + head * HS)…]", slice(qkv, width: 3 * C, start: C + head * HS)),
      preview("V = \(h).attn.qkv[:, \(2 * C + head * HS)…]", slice(qkv, width: 3 * C, start: 2 * C + head * HS)),
      .heatmap(
        Heatmap(
          title: session.text(.attendScoresTitle, String(HS), String(head)), rowLabels: pass.labels,
          columnLabels: pass.labels, values: matrix(weights.scores, T), masked: mask(T),
          format: .fixed(2), scale: .diverging)),
      .heatmap(
        Heatmap(
          title: session.text(.attendWeightsTitle, String(layer), String(head)), rowLabels: pass.labels,
          columnLabels: pass.labels, values: matrix(weights.probs, T), masked: mask(T),
          format: .fixed(2), scale: .sequential, range: 0...1)),
      preview(session.text(.attendOutTitle, "\(h).attn.out" + columns), slice(out, width: C, start: head * HS)),
    ]
    outputs += explain(weights, pass, session)
    return outputs
  }

  /// Per token its strongest earlier token; the strongest link overall; the last token's top 3.
  private func explain(_ weights: HeadWeights, _ pass: ForwardPass, _ session: Session) -> [Output] {
    let T = pass.tokenCount
    let percent = ValueFormat.fixed(2)
    var rows: [[String]] = []
    var bars: [Double] = []
    var strongest: Float?
    for t in 1..<max(1, T) {
      let j = (0..<t).max { weights.weight(t, $0) < weights.weight(t, $1) }!
      let w = weights.weight(t, j)
      strongest = max(strongest ?? w, w)
      bars.append(Double(w))
      rows.append([pass.labels[t], pass.labels[j], percent.string(for: w), percent.string(for: weights.weight(t, t))])
    }
    var outputs: [Output] = []
    if !rows.isEmpty {
      outputs.append(
        .table(
          Table(
            title: session.text(.attendWhereTitle),
            headers: [
              session.text(.embedToken), session.text(.attendStrongestEarlier), session.text(.attendWeight),
              session.text(.attendSelfWeight),
            ],
            rows: rows, alignments: [.left, .left, .right, .right], barValues: bars)))
    }
    if let strongest { session.report("max-weight", Double(strongest)) }
    if let link = Self.clearestLink(weights) {
      outputs.append(
        .explanation(
          session.richText(
            .attendStrongest,
            [
              TextSpan(pass.word(link.t), style: .code), TextSpan(percent.string(for: link.w)),
              TextSpan(pass.word(link.j), style: .code), TextSpan(String(link.t + 1)),
              TextSpan(percent.string(for: 1 / Float(link.t + 1))),
            ])))
    }
    let last = T - 1
    let top = (0...last).sorted {
      weights.weight(last, $0) > weights.weight(last, $1) || (weights.weight(last, $0) == weights.weight(last, $1) && $0 < $1)
    }
    .prefix(3)
    session.report("top", text: pass.word(top.first!))
    var spans = [TextSpan(pass.word(last), style: .code)]
    for j in top { spans += [TextSpan(pass.word(j), style: .code), TextSpan(percent.string(for: weights.weight(last, j)))] }
    let phrase: Phrase = top.count == 3 ? .attendLastTop3 : top.count == 2 ? .attendLastTop2 : .attendLastTop1
    outputs.append(.explanation(session.richText(phrase, spans)))
    return outputs
  }

  /// The link (t reads earlier j) whose weight most exceeds an even spread 1/(t+1): early rows
  /// have few tokens to choose from, so their weights are large even when nothing is preferred.
  static func clearestLink(_ weights: HeadWeights) -> (t: Int, j: Int, w: Float)? {
    var best: (t: Int, j: Int, w: Float, excess: Float)?
    for t in 1..<max(1, weights.T) {
      for j in 0..<t {
        let excess = weights.weight(t, j) - 1 / Float(t + 1)
        if excess > (best?.excess ?? -.infinity) { best = (t, j, weights.weight(t, j), excess) }
      }
    }
    return best.map { ($0.t, $0.j, $0.w) }
  }

  // MARK: All heads

  /// What a head mostly does, from its average weights over the rows where the patterns differ.
  enum Pattern { case previous, first, itself, spread }

  static func averages(_ weights: HeadWeights) -> (previous: Float, first: Float, itself: Float) {
    let T = weights.T
    // From t = 2 on, "previous" and "first" are different tokens; for shorter texts use what exists.
    let rows = T >= 3 ? Array(2..<T) : Array(min(1, T - 1)..<T)
    let n = Float(rows.count)
    let previous = rows.reduce(Float(0)) { $0 + ($1 > 0 ? weights.weight($1, $1 - 1) : 0) } / n
    let first = rows.reduce(Float(0)) { $0 + weights.weight($1, 0) } / n
    let itself = rows.reduce(Float(0)) { $0 + weights.weight($1, $1) } / n
    return (previous, first, itself)
  }

  static func pattern(_ averages: (previous: Float, first: Float, itself: Float)) -> (Pattern, Float) {
    let candidates: [(Pattern, Float)] = [(.previous, averages.previous), (.first, averages.first), (.itself, averages.itself)]
    let best = candidates.max { $0.1 < $1.1 }!
    return best.1 >= 0.4 ? best : (.spread, best.1)
  }

  private func allHeads(_ heads: [HeadWeights], layer: Int, _ pass: ForwardPass, _ session: Session) -> [Output] {
    let T = pass.tokenCount
    let format = ValueFormat.fixed(2)
    var outputs: [Output] = heads.indices.map { n in
      .heatmap(
        Heatmap(
          title: session.text(.attendWeightsTitle, String(layer), String(n)), rowLabels: pass.labels,
          columnLabels: pass.labels, values: matrix(heads[n].probs, T), masked: mask(T),
          format: .fixed(2), scale: .sequential, range: 0...1))
    }
    var rows: [[String]] = []
    var sentences: [RichText] = []
    var spread = 0
    for (n, weights) in heads.enumerated() {
      let a = Self.averages(weights)
      let (pattern, share) = Self.pattern(a)
      let name = session.text(patternPhrase(pattern))
      var linkCell = "–"
      var linkSpans: [TextSpan] = [TextSpan("–"), TextSpan("–"), TextSpan("–")]
      if let link = Self.clearestLink(weights) {
        linkCell = "\(pass.labels[link.t]) → \(pass.labels[link.j]) \(format.string(for: link.w))"
        linkSpans = [
          TextSpan(pass.word(link.t), style: .code), TextSpan(pass.word(link.j), style: .code),
          TextSpan(format.string(for: link.w)),
        ]
      }
      rows.append([
        String(n), format.string(for: a.previous), format.string(for: a.first), format.string(for: a.itself),
        name, linkCell,
      ])
      if pattern == .spread {
        spread += 1
        sentences.append(session.richText(.attendHeadNoHabit, [TextSpan(String(n))] + linkSpans))
      } else {
        sentences.append(
          session.richText(
            .attendHeadHabit,
            [
              TextSpan(String(n)), TextSpan(name),
              TextSpan(format.string(for: share)),
            ] + linkSpans))
      }
    }
    outputs.append(
      .table(
        Table(
          title: session.text(.attendHeadsTitle, String(layer)),
          headers: [
            session.text(.attendHead), session.text(.attendPrevious), session.text(.attendFirst),
            session.text(.attendItself), session.text(.attendPattern), session.text(.attendClearestLink),
          ],
          rows: rows, alignments: [.right, .right, .right, .right, .left, .left])))
    outputs.append(
      .explanation(
        session.richText(
          .attendHeadsExplanation,
          [
            TextSpan(String(heads.count)), TextSpan(String(spread)),
          ])))
    outputs += sentences.map(Output.explanation)
    return outputs
  }

  private func patternPhrase(_ pattern: Pattern) -> Phrase {
    switch pattern {
    case .previous: return .attendPreviousToken
    case .first: return .attendFirstToken
    case .itself: return .attendSelf
    case .spread: return .attendSpread
    }
  }
}
