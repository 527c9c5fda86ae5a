// Terminal capabilities from the environment, the 256-colour fallback, and the drawing of tables,
// heatmaps and charts at a given width (expected text written out by hand).
import LessonModel
import Testing

@testable import Render

@Suite struct TerminalTests {
  @Test func capabilitiesFromTheEnvironment() {
    let tty = TerminalOptions.detect(environment: ["COLORTERM": "truecolor"], isTerminal: true, windowWidth: 132)
    #expect(tty == TerminalOptions(colour: .trueColour, width: 132))
    #expect(
      TerminalOptions.detect(environment: ["TERM": "xterm-256color"], isTerminal: true, windowWidth: nil)
        == TerminalOptions(colour: .palette256, width: 100))
    #expect(
      TerminalOptions.detect(environment: ["NO_COLOR": "1", "COLORTERM": "24bit"], isTerminal: true, windowWidth: 80).colour
        == .none)
    // NO_COLOR set but empty does not count (no-color.org).
    #expect(TerminalOptions.detect(environment: ["NO_COLOR": ""], isTerminal: true, windowWidth: 80).colour == .palette256)
    #expect(TerminalOptions.detect(environment: [:], isTerminal: false, windowWidth: nil).colour == .none)
    #expect(TerminalOptions.detect(environment: ["TERM": "dumb"], isTerminal: true, windowWidth: nil).colour == .none)
    #expect(TerminalOptions.detect(environment: ["COLUMNS": "72"], isTerminal: true, windowWidth: 132).width == 72)
    #expect(TerminalOptions.detect(environment: ["COLUMNS": "x"], isTerminal: true, windowWidth: 132).width == 132)
    #expect(TerminalOptions.detect(environment: ["COLUMNS": "10"], isTerminal: true, windowWidth: nil).width == 40)
  }

  @Test func xterm256Fallback() {
    // Cube levels are 0, 95, 135, 175, 215, 255; index = 16 + 36r + 6g + b.
    #expect(RGB(255, 0, 0).xterm256Index == 196)  // (5, 0, 0)
    #expect(RGB(0, 95, 135).xterm256Index == 24)  // (0, 1, 2) exactly
    #expect(RGB(128, 128, 128).xterm256Index == 244)  // grey ramp: 8 + 10·12 = 128
    // Blues' darkest: levels (0, 1, 1) as tmux rounds (48 → 95), index 23; squared distance
    // 64 + 2209 + 144 = 2417 beats grey 58 (5001) and (0, 0, 1) = 17 (2512).
    #expect(RGB(8, 48, 107).xterm256Index == 23)
    let style = TerminalStyle(colour: .palette256)
    #expect(style.cell(RGB(255, 0, 0), "x") == "\u{1B}[38;5;231;48;5;196mx\u{1B}[0m")
    let trueColour = TerminalStyle(colour: .trueColour)
    #expect(trueColour.foreground(RGB(1, 2, 3), "x", bold: true) == "\u{1B}[1;38;2;1;2;3mx\u{1B}[0m")
    #expect(TerminalStyle(colour: .none).cell(RGB(255, 0, 0), "x") == "x")
  }

  @Test func colourScales() {
    #expect(ColourMap.colour(for: 0, scale: .sequential, range: 0...1) == RGB(0xF7, 0xFB, 0xFF))
    #expect(ColourMap.colour(for: 1, scale: .sequential, range: 0...1) == RGB(0x08, 0x30, 0x6B))
    #expect(ColourMap.colour(for: 2, scale: .sequential, range: 0...1) == RGB(0x08, 0x30, 0x6B))  // clamped
    #expect(ColourMap.colour(for: 0, scale: .diverging, range: -1...1) == RGB(0xF7, 0xF7, 0xF7))
    // Halfway between the first two stops: (0xF7+0xC6)/2 = 222.5 → 223 (0xDF), and so on.
    #expect(ColourMap.colour(for: 0.125, scale: .sequential, range: 0...1) == RGB(0xDF, 0xEB, 0xF7))
    #expect(RGB(0x08, 0x30, 0x6B).hex == "#08306b")
    #expect(RGB(0x08, 0x30, 0x6B).textColour == RGB(255, 255, 255))
  }

  @Test func tableWithWideCharacters() {
    let table = Table(headers: ["token", "n"], rows: [["猫", "12"], ["café", "3"]], alignments: [.left, .right])
    let text = TerminalRenderer(options: TerminalOptions(colour: .none, width: 40)).render(table)
    #expect(
      text == """
          token   n
          ─────  ──
          猫     12
          café    3

        """)
  }

  @Test func tableShrinksToTheWidth() {
    let table = Table(headers: ["a", "b"], rows: [[String(repeating: "x", count: 50), "short"]])
    let text = TerminalRenderer(options: TerminalOptions(colour: .none, width: 40)).render(table)
    for line in text.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 40) }
    #expect(text.contains("…"))
  }

  @Test func heatmapCutsColumnsThatDoNotFit() {
    let n = 30
    let heatmap = Heatmap(
      title: "wide", rowLabels: (0..<2).map { "r\($0)" }, columnLabels: (0..<n).map { "c\($0)" },
      values: [[Float](repeating: 0.5, count: n), [Float](repeating: 1, count: n)])
    let text = TerminalRenderer(options: TerminalOptions(colour: .none, width: 60)).render(heatmap, language: .english)
    let lines = text.split(separator: "\n").map(String.init)
    for line in lines { #expect(DisplayWidth.of(line) <= 60, "\(line)") }
    // 60 − 2 (label) − 3 = 55 columns of room, 5 per cell → 11 fit; 10 are shown plus "+20".
    #expect(lines[1].hasSuffix("c9 +20"))
    #expect(lines[2] == "  r0 0.50 0.50 0.50 0.50 0.50 0.50 0.50 0.50 0.50 0.50 …")
  }

  @Test func sparklineResamplesLongCurves() {
    let renderer = TerminalRenderer(options: TerminalOptions(colour: .none, width: 40))
    // x = 0…5 into 3 columns: t·2 rounds 0, 0.4 → 0; 0.8, 1.2 → 1; 1.6, 2 → 2.
    let points = (0..<6).map { ChartPoint(x: Double($0), y: Double($0 + 1)) }
    #expect(renderer.resample(points, columns: 3, from: 0, to: 5) == [1.5, 3.5, 5.5])
    // Sparse points leave gaps: x = 0 and 10 on 0…10 in 3 columns.
    #expect(renderer.resample([ChartPoint(x: 0, y: 1), ChartPoint(x: 10, y: 2)], columns: 3, from: 0, to: 10) == [1, nil, 2])
    let chart = LineChart(
      title: "loss", xLabel: "step", yLabel: "loss",
      series: [ChartSeries(name: "train", points: (0..<8).map { ChartPoint(x: Double($0), y: Double(7 - $0)) })])
    // y = 7 … 0 falls one level per point: █▇▆▅▄▃▂▁.
    #expect(renderer.render(chart) == "loss\n  train  █▇▆▅▄▃▂▁  7.000 → 0.000\n  step 0 … 7 · loss 0.000 … 7.000\n")
  }

  @Test func barsInEighths() {
    let renderer = TerminalRenderer(options: TerminalOptions(colour: .none, width: 40))
    // 3/8 of a 2-column bar is 6 eighths: "▊"; the full value is two blocks.
    #expect(renderer.bar(3, of: 8, width: 2) == "▊")
    #expect(renderer.bar(8, of: 8, width: 2) == "██")
    #expect(renderer.bar(0, of: 8, width: 2) == "")
    #expect(renderer.bar(.nan, of: 8, width: 2) == "")
  }
}
