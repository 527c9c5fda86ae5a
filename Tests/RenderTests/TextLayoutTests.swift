// Display width (wcwidth / UAX #11), truncation, word wrapping, value formatting and light markup.
import LessonModel
import Testing

@testable import Render

@Suite struct TextLayoutTests {
  @Test func displayWidths() {
    #expect(DisplayWidth.of("gato") == 4)
    #expect(DisplayWidth.of("猫") == 2)  // CJK ideograph: East Asian Wide
    #expect(DisplayWidth.of("e\u{0301}") == 1)  // e + combining acute: one column
    #expect(DisplayWidth.of("🐈") == 2)  // emoji presentation
    #expect(DisplayWidth.of("👩‍👩‍👧") == 2)  // ZWJ sequence: one grapheme
    #expect(DisplayWidth.of("❤️") == 2)  // U+2764 + VS16 (emoji style)
    #expect(DisplayWidth.of("a\u{200B}b") == 2)  // zero-width space
    #expect(DisplayWidth.of("ｶﾞ") == 2)  // halfwidth katakana + halfwidth sound mark: 1 each
    #expect(DisplayWidth.of("🇧🇷") == 2)  // a flag: two regional indicators, one glyph
    #expect(DisplayWidth.of("한국") == 4)
  }

  @Test func truncateAndPad() {
    #expect(DisplayWidth.truncate("gatinho", to: 5) == "gati…")
    #expect(DisplayWidth.truncate("猫猫猫", to: 4) == "猫…")  // 猫 (2) + … (1) = 3 ≤ 4; another 猫 would be 5
    #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
    #expect(DisplayWidth.pad("猫", to: 4, .right) == "  猫")
    #expect(DisplayWidth.pad("é", to: 3, .center) == " é ")
  }

  @Test func wrapCountsDisplayWidthAndPrefixes() {
    let style = TerminalStyle(colour: .none)
    let runs = [StyledRun(text: "um gato 猫猫 subiu no telhado", style: { $0 })]
    // Width 10: "> um gato" is 9; "猫猫" (4) would make 14.
    #expect(style.wrap(runs, width: 10, firstPrefix: "> ", prefix: "  ") == ["> um gato", "  猫猫", "  subiu no", "  telhado"])
    // A forced break and a word longer than the line.
    let long = [StyledRun(text: "a\nsupercalifragilistic", style: { $0 })]
    #expect(style.wrap(long, width: 8) == ["a", "superca…"])
  }

  @Test func valueFormats() {
    #expect(ValueFormat.fixed(2).string(for: 0.416) == "0.42")
    #expect(ValueFormat.fixed(3).string(for: -0.0001) == "0.000")  // no "-0.000"
    #expect(ValueFormat.fixed(2).string(for: -0.5) == "-0.50")
    #expect(ValueFormat.percent(1).string(for: 0.4132) == "41.3%")
    #expect(ValueFormat.scientific(2).string(for: 0.000123) == "1.23e-04")
    #expect(ValueFormat.integer.string(for: 41.6) == "42")
    #expect(ValueFormat.fixed(2).string(for: Double.nan) == "nan")
    #expect(ValueFormat.fixed(2).string(for: -Double.infinity) == "-∞")
  }

  @Test func lightMarkup() {
    #expect(
      RichText(markup: "a **b** *c* `d` e").spans == [
        TextSpan("a "), TextSpan("b", style: .strong), TextSpan(" "), TextSpan("c", style: .emphasis),
        TextSpan(" "), TextSpan("d", style: .code), TextSpan(" e"),
      ])
    // Unmatched markers stay literal.
    #expect(RichText(markup: "2 * 3 = 6").spans == [TextSpan("2 * 3 = 6")])
    #expect(RichText(markup: "**").plainText == "**")
  }

  @Test func visibleWhitespaceInTokens() {
    #expect(visibleWhitespace(" gato\n\t\u{7}") == "␣gato↵⇥\\u{7}")
  }
}
