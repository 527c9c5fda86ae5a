// HTML pieces: the escaping helper, a heatmap's cells with hover titles and the masked cells,
// the SVG chart's 1-2-5 ticks, and the golden page of a hand-built lesson with every output.
import LessonModel
import TestSupport
import Testing

@testable import Render

@Suite struct HTMLTests {
  @Test func escapesEveryMarkupCharacter() {
    #expect(HTML.escape("<a href=\"x\">Tom & 'Jerry'</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    #expect(HTML.escape("ação 猫") == "ação 猫")
  }

  @Test func heatmapCellsCarryValuesAndMasks() {
    let heatmap = Heatmap(
      title: "w", rowLabels: ["O", " gato"], columnLabels: ["O", " gato"],
      values: [[1, 0], [0.25, 0.75]], masked: [[false, true], [false, false]], range: 0...1)
    let html = HTMLRenderer().render(heatmap, language: .english)
    #expect(html.contains("<td class=\"masked\" data-r=\"0\" data-c=\"1\" title=\"O → ␣gato: masked\"></td>"))
    // 0.25 lies on the second stop of Blues (#c6dbef), dark enough text stays black.
    #expect(
      html.contains(
        "<td data-r=\"1\" data-c=\"0\" style=\"background:#c6dbef;color:#000000\" title=\"␣gato → O: 0.25\">0.25</td>"))
    #expect(html.contains("<th class=\"row\" data-r=\"1\">␣gato</th>"))
  }

  @Test func niceTicks() {
    // range 9.3 / 5 = 1.86 → step 2: 0, 2, …, 10.
    #expect(SVGLineChart.ticks(0, 9.3) == [0, 2, 4, 6, 8, 10])
    // 1.391 … 8.5: 7.109 / 5 = 1.42 → step 2: 0 … 10 (floor(1.391/2) = 0).
    #expect(SVGLineChart.ticks(1.391, 8.5) == [0, 2, 4, 6, 8, 10])
    // A flat curve gets a unit range around it: 4 … 6 in steps of 0.5.
    #expect(SVGLineChart.ticks(5, 5) == [4, 4.5, 5, 5.5, 6])
    #expect(SVGLineChart.decimals([0, 0.5, 1]) == 1)
    #expect(SVGLineChart.decimals([0, 20, 40]) == 0)
  }

  @Test func goldenPageWithEveryOutput() {
    let lesson = Samples.everyOutputLesson()
    let html = HTMLRenderer().render(lesson)
    if let mismatch = Golden.mismatch(html, "render-every-output.html") { Issue.record(Comment(rawValue: mismatch)) }
    // Shown when asked for, and only then.
    #expect(!html.contains("class=\"timing\""))
    #expect(HTMLRenderer(showTimings: true).render(lesson).contains("<p class=\"timing\">0.250 s · tokens/s: 123</p>"))
  }

  @Test func goldenTerminalWithEveryOutput() {
    let lesson = Samples.everyOutputLesson()
    for (name, colour) in [
      ("render-every-output.txt", TerminalOptions.Colour.none),
      ("render-every-output.256.txt", .palette256),
    ] {
      let text = TerminalRenderer(options: TerminalOptions(colour: colour, width: 72)).render(lesson)
      if let mismatch = Golden.mismatch(text, name) { Issue.record(Comment(rawValue: mismatch)) }
    }
    let timed = TerminalRenderer(options: TerminalOptions(colour: .none, width: 72, showTimings: true)).render(lesson)
    #expect(timed.contains("⏱ 0.250 s · tokens/s: 123"))
  }
}
