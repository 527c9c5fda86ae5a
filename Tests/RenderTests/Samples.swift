// A hand-built evaluated lesson with every kind of block and output, in Portuguese, for the
// renderers' golden files (no interpreter involved: this suite tests the renderers alone).
import LessonModel

enum Samples {
  static func everyOutputLesson() -> EvaluatedLesson {
    let tokens = ["O", " gato", " subiu", " no", " telhado"]
    let n = tokens.count
    // Causal attention: row i spreads its weight 1/(i+1) over columns 0…i; the rest is masked.
    let weights = (0..<n).map { i in (0..<n).map { j in j <= i ? Float(1) / Float(i + 1) : 0 } }
    let masked = (0..<n).map { i in (0..<n).map { j in j > i } }
    let outputs: [Output] = [
      .text(RichText(markup: "Texto com *ênfase*, **negrito** e `código`.")),
      .explanation(
        RichText([
          TextSpan("'subiu' põe "), TextSpan("0.33", style: .strong),
          TextSpan(" da atenção em "), TextSpan(" gato", style: .code),
        ])),
      .table(
        Table(
          title: "Parâmetros", headers: ["nome", "forma", "n"],
          rows: [["wte.weight", "(50257, 768)", "38597376"], ["h.0.ln_1.weight", "(768,)", "768"]],
          alignments: [.left, .left, .right], barValues: [38_597_376, 768])),
      .tensorPreview(
        TensorPreview(
          name: "wte.weight", shape: [50257, 768],
          values: [[0.1, -0.2, 0.3], [0.04, 0.05, -0.06]], rowLabels: ["O", " gato"],
          hiddenRows: 50255, hiddenColumns: 765)),
      .tensorPreview(
        TensorPreview(
          name: "ln_f.bias", shape: [768], values: [[0, 0, 0]], hiddenColumns: 765,
          format: .fixed(1), collapsed: true)),
      .heatmap(
        Heatmap(
          title: "Camada 0, cabeça 2", rowLabels: tokens, columnLabels: tokens, values: weights,
          masked: masked, range: 0...1)),
      .tokenStrip(
        TokenStrip(
          title: "Tokens",
          pieces: tokens.enumerated().map {
            TokenPiece(text: $0.element, id: [46, 308, 1159, 299, 5735][$0.offset], highlighted: $0.offset == 1)
          })),
      .lineChart(
        LineChart(
          title: "Perda", xLabel: "passo", yLabel: "perda",
          series: [
            ChartSeries(name: "treino", points: (0...10).map { ChartPoint(x: Double($0 * 10), y: 10.8 - Double($0) * 0.6) }),
            ChartSeries(name: "validação", points: (0...2).map { ChartPoint(x: Double($0 * 50), y: 10.9 - Double($0) * 2.4) }),
          ])),
      .bars(
        BarChart(
          title: "Próximo token", items: [BarItem(label: " telhado", value: 0.62), BarItem(label: " muro", value: 0.21)],
          format: .percent(1))),
      .keyValues(KeyValues(title: "Configuração", entries: [KeyValue("camadas", "12"), KeyValue("cabeças", "12")])),
      .code(CodeListing(language: "swift", text: "let x = 1\n")),
      .note(RichText(markup: "Uma *nota*.")),
      .warning(RichText(markup: "Um **aviso**.")),
      .diagnostic(Diagnostic(.error, at: SourceLocation(path: "lessons/03.md", line: 12, column: 1), "camada 14 não existe")),
    ]
    return EvaluatedLesson(
      title: "Atenção, passo a passo", language: .brazilianPortuguese, sourcePath: "lessons/03-atencao.md",
      blocks: [
        .prose(
          Prose(
            nodes: [.paragraph([.text("Antes da "), .emphasis([.text("atenção")]), .text(".")])],
            html: "<p>Antes da <em>atenção</em>.</p>\n")),
        .code(CodeListing(language: "text", text: "um bloco comum\n")),
        .directive(
          DirectiveResult(
            name: "attend", arguments: "O gato subiu no telhado", line: 7,
            outputs: outputs, status: .succeeded)),
        .directive(
          DirectiveResult(
            name: "attend", arguments: "", line: 20,
            outputs: [.diagnostic(Diagnostic(.error, at: SourceLocation(path: "lessons/03.md", line: 20), "sem texto"))],
            status: .failedAsExpected)),
      ],
      timings: [DirectiveTiming(blockIndex: 2, seconds: 0.25, measurements: [KeyValue("tokens/s", "123")])])
  }
}
