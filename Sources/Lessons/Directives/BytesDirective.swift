// {bytes}: the text as UTF-8 bytes, character by character — the raw material of a byte-level BPE
// tokenizer (GPT-2, Radford et al. 2019, §2.2). Characters outside ASCII take 2–4 bytes
// (RFC 3629). Uses the fence-line text, or the session's last text. Engine-free.
//
//     ```{bytes} Ação!
//     ```
import LessonModel

public struct BytesDirective: Directive {
  public static let name = "bytes"
  public static let summary = "Show the UTF-8 bytes of a text, character by character."
  public static let argument = ArgumentRule.optional("the text (default: the last text)")
  public static let options: [OptionSpec] = [
    .int("limit", default: 48, in: 1...4096, help: "characters to show in the table")
  ]
  public static let results = [
    ResultSpec("characters"), ResultSpec("bytes"),
    ResultSpec("multibyte", "characters that take more than one byte"),
  ]

  let text: String?
  let limit: Int

  public init(_ invocation: Invocation) throws {
    text = invocation.arguments.isEmpty ? nil : invocation.arguments
    limit = invocation.int("limit") ?? 48
  }

  public func run(_ session: Session) throws -> [Output] {
    guard let text = text ?? session.lastText else {
      throw LessonError.directiveFailed("no text yet: write it after {bytes}, or set it with {text} first")
    }
    let language = session.language
    let characters = Array(text)
    let multibyte = characters.filter { $0.utf8.count > 1 }
    session.report("characters", characters.count)
    session.report("bytes", text.utf8.count)
    session.report("multibyte", multibyte.count)

    let shown = characters.prefix(limit)
    let strip = TokenStrip(
      title: Phrase.bytesTitle.text(language, []),
      pieces: shown.map {
        TokenPiece(text: String($0), value: Float($0.utf8.count), highlighted: $0.utf8.count > 1)
      },
      format: .integer)
    let rows = shown.map { character -> [String] in
      [
        character == " " ? "␣" : character == "\n" ? "↵" : String(character),
        character.unicodeScalars.map { "U+" + hex(Int($0.value), width: 4) }.joined(separator: " "),
        character.utf8.map { hex(Int($0), width: 2) }.joined(separator: " "),
        String(character.utf8.count),
      ]
    }
    let table = Table(
      headers: [
        Phrase.character.text(language, []), Phrase.codePoint.text(language, []),
        Phrase.utf8Bytes.text(language, []), "n",
      ],
      rows: rows, alignments: [.center, .left, .left, .right],
      barValues: shown.map { Double($0.utf8.count) })
    let explanation: RichText
    if let example = multibyte.first {
      explanation = Phrase.bytesExplanationMultibyte.richText(
        language,
        [
          TextSpan(String(characters.count)), TextSpan(String(text.utf8.count)),
          TextSpan(String(example), style: .code),
        ])
    } else {
      explanation = Phrase.bytesExplanationASCII.richText(language, [TextSpan(String(characters.count))])
    }
    return [.tokenStrip(strip), .table(table), .explanation(explanation)]
  }

  private func hex(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
