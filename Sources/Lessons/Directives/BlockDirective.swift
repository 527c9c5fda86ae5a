// {block}: one transformer block of GPT-2 (Radford et al. 2019 §2.3: pre-norm blocks) as the
// residual stream sees it: x → x + attn(ln_1(x)) → x + mlp(ln_2(x)). Shows ln_1's statistics
// before and after normalisation, the stream's norm before and after each sublayer and how much
// each adds, the MLP's hidden units before and after GELU (Hendrycks & Gimpel 2016) and how many
// are active — every number read from the engine's activations for the layer.
//
//     ```{model}
//     :preset: micro
//     ```
//     ```{block} O gato subiu no telhado
//     :layer: 0
//     :expect: residual-error < 1e-5; active-fraction > 0
//     ```
import LessonModel
import MiniGPT

public struct BlockDirective: Directive {
  public static let name = "block"
  public static let summary = "Show one transformer block: layer norm, residual stream, attention and MLP contributions, GELU."
  public static let argument = ArgumentRule.optional("the text (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("layer", default: 0, in: -1024...1023, help: "the block (0 is the first, -1 the last)"),
    .int("dims", default: 8, in: 1...64, help: "MLP units to show"),
    .choice(
      "show", ["all", "layer-norm", "residual", "mlp"], default: "all",
      help: "one part of the block, so a lesson can explain the parts in turn"),
  ]
  public static let results = [
    ResultSpec("tokens"), ResultSpec("layer"),
    ResultSpec("residual-error", "largest difference between each residual sum and its two parts"),
    ResultSpec("normalized-std", "mean standard deviation of ln_1's normalised vectors (≈ 1)"),
    ResultSpec("active-fraction", "mean share of MLP units with a positive input to GELU"),
    ResultSpec("attention-ratio", "mean ‖attention output‖ / ‖stream before it‖"),
    ResultSpec("mlp-ratio", "mean ‖MLP output‖ / ‖stream before it‖"),
  ]

  let text: String?
  /// As written: negative counts from the last block (-1 is the last).
  let requestedLayer: Int
  let dims: Int
  let show: String

  public init(_ invocation: Invocation) throws {
    show = invocation.string("show") ?? "all"
    text = invocation.arguments.isEmpty ? nil : invocation.arguments
    requestedLayer = invocation.int("layer") ?? 0
    dims = invocation.int("dims") ?? 8
  }

  /// Per-token statistics of one row.
  static func meanAndStd(_ row: ArraySlice<Float>) -> (mean: Float, std: Float) {
    let n = Float(row.count)
    let mean = row.reduce(0, +) / n
    let variance = row.reduce(Float(0)) { $0 + ($1 - mean) * ($1 - mean) } / n
    return (mean, variance.squareRoot())
  }

  public func run(_ session: Session) throws -> [Output] {
    let model = try session.model()
    let layer = try resolvedLayer(requestedLayer, layerCount: model.config.layerCount)
    let pass = try ForwardPass.run(text, directive: Self.name, session: session)
    let T = pass.tokenCount, C = pass.config.embeddingSize, H = 4 * C
    let h = "h.\(layer)."
    let input = try pass.activation(layer == 0 ? "encoded" : "h.\(layer - 1).residual_mlp")
    let lnMean = try pass.activation(h + "ln_1.mean"), lnRstd = try pass.activation(h + "ln_1.rstd")
    let ln = try pass.activation(h + "ln_1")
    let attention = try pass.activation(h + "attn.proj"), afterAttention = try pass.activation(h + "residual_attn")
    let hidden = try pass.activation(h + "mlp.hidden"), gelu = try pass.activation(h + "mlp.gelu")
    let mlp = try pass.activation(h + "mlp.proj"), output = try pass.activation(h + "residual_mlp")
    func row(_ values: [Float], _ t: Int, _ width: Int = C) -> ArraySlice<Float> { ForwardPass.row(values, t, width: width) }

    // The residual sums, checked against their parts.
    var residualError: Float = 0
    for i in 0..<(T * C) {
      residualError = max(
        residualError, abs(afterAttention[i] - (input[i] + attention[i])),
        abs(output[i] - (afterAttention[i] + mlp[i])))
    }
    // ln_1 before its gain and bias: (x − mean)·rstd with the engine's mean and rstd.
    let normalizedStd = (0..<T).map { t in
      Self.meanAndStd(row(input, t).map { ($0 - lnMean[t]) * lnRstd[t] }[...]).std
    }
    let norms = (0..<T).map { t in
      (
        x: norm(row(input, t)), attention: norm(row(attention, t)), afterAttention: norm(row(afterAttention, t)),
        mlp: norm(row(mlp, t)), output: norm(row(output, t))
      )
    }
    let active = (0..<T).map { t in Float(row(hidden, t, H).filter { $0 > 0 }.count) / Float(H) }
    let attentionRatio = norms.map { $0.attention / max($0.x, 1e-12) }.reduce(0, +) / Float(T)
    let mlpRatio = norms.map { $0.mlp / max($0.afterAttention, 1e-12) }.reduce(0, +) / Float(T)
    let meanActive = active.reduce(0, +) / Float(T)
    session.report("tokens", T)
    session.report("layer", layer)
    session.report("residual-error", Double(residualError))
    session.report("normalized-std", Double(normalizedStd.reduce(0, +) / Float(T)))
    session.report("active-fraction", Double(meanActive))
    session.report("attention-ratio", Double(attentionRatio))
    session.report("mlp-ratio", Double(mlpRatio))

    let f3 = ValueFormat.fixed(3)
    let lnTable = Table(
      title: session.text(.blockLayerNormTitle, String(layer)),
      headers: [
        session.text(.embedToken), session.text(.blockMeanBefore), session.text(.blockStdBefore),
        session.text(.blockStdNormalized), session.text(.blockMeanAfter), session.text(.blockStdAfter),
      ],
      rows: (0..<T).map { t in
        let after = Self.meanAndStd(row(ln, t))
        return [
          pass.labels[t], f3.string(for: lnMean[t]), f3.string(for: 1 / lnRstd[t]), f3.string(for: normalizedStd[t]),
          f3.string(for: after.mean), f3.string(for: after.std),
        ]
      },
      alignments: [.left, .right, .right, .right, .right, .right])
    let streamTable = Table(
      title: session.text(.blockStreamTitle),
      headers: [
        session.text(.embedToken), "‖x‖", session.text(.blockAttentionAdds), session.text(.blockAfterAttention),
        session.text(.blockMLPAdds), session.text(.blockAfterMLP),
      ],
      rows: norms.indices.map { t in
        [
          pass.labels[t], f3.string(for: norms[t].x), f3.string(for: norms[t].attention), f3.string(for: norms[t].afterAttention),
          f3.string(for: norms[t].mlp), f3.string(for: norms[t].output),
        ]
      },
      alignments: [.left, .right, .right, .right, .right, .right],
      barValues: norms.map { Double($0.output) })
    // GELU on the last token's first units: the same numbers before and after.
    let last = T - 1
    let geluTable = Table(
      title: session.text(.blockGELUTitle, pass.labels[last]),
      headers: [session.text(.blockUnit), "mlp.hidden", "gelu(mlp.hidden)"],
      rows: (0..<min(dims, H)).map { [String($0), f3.string(for: hidden[last * H + $0]), f3.string(for: gelu[last * H + $0])] },
      alignments: [.right, .right, .right])
    // How far the block moved each token: ‖output − input‖.
    let distances = (0..<T).map { t in norm(zip(row(output, t), row(input, t)).map { $0 - $1 }) }
    let changed = distances.indices.max { distances[$0] < distances[$1] }!
    let moved = distances[changed]

    let layerNormPart: [Output] = [
      .table(lnTable),
      .explanation(
        session.richText(
          .blockLayerNormExplanation,
          [
            TextSpan(f3.string(for: lnMean.reduce(0, +) / Float(T))),
            TextSpan(f3.string(for: lnRstd.map { 1 / $0 }.reduce(0, +) / Float(T))),
            TextSpan(f3.string(for: normalizedStd.reduce(0, +) / Float(T))),
          ])),
    ]
    let residualPart: [Output] = [
      .table(streamTable),
      .explanation(
        session.richText(
          .blockStreamExplanation,
          [
            TextSpan(ValueFormat.percent(0).string(for: attentionRatio)), TextSpan(ValueFormat.percent(0).string(for: mlpRatio)),
            TextSpan(pass.word(changed), style: .code), TextSpan(f3.string(for: moved)),
            TextSpan(ValueFormat.scientific(1).string(for: residualError)),
          ])),
    ]
    let mlpPart: [Output] = [
      .tensorPreview(
        TensorPreview(
          name: h + "mlp.hidden", shape: [T, H], values: hidden, rows: T, columns: H,
          rowLabels: pass.labels, maxRows: 16, maxColumns: dims)),
      .tensorPreview(
        TensorPreview(
          name: h + "mlp.gelu", shape: [T, H], values: gelu, rows: T, columns: H,
          rowLabels: pass.labels, maxRows: 16, maxColumns: dims)),
      .table(geluTable),
      .tokenStrip(
        TokenStrip(
          title: session.text(.blockActiveTitle, String(H)),
          pieces: zip(pass.labels, active).map { TokenPiece(text: $0, value: $1) },
          format: .percent(0))),
      .explanation(
        session.richText(
          .blockMLPExplanation,
          [
            TextSpan(String(H)), TextSpan(ValueFormat.percent(0).string(for: meanActive)),
            TextSpan(f3.string(for: gelu.min() ?? 0)),
          ])),
    ]
    switch show {
    case "layer-norm": return layerNormPart
    case "residual": return residualPart
    case "mlp": return mlpPart
    default: return layerNormPart + residualPart + mlpPart
    }
  }
}
