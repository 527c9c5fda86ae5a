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

  private var translations: (english: String, portuguese: String) {
    switch self {
    case .textTitle: return ("Text", "Texto")
    case .characters: return ("characters", "caracteres")
    case .bytes: return ("bytes (UTF-8)", "bytes (UTF-8)")
    case .lines: return ("lines", "linhas")
    case .words: return ("words", "palavras")
    case .distinctCharacters: return ("distinct characters", "caracteres distintos")
    case .textExplanation:
      return ("The next directives work on this text: **{0}** characters stored in **{1}** bytes.",
              "As próximas diretivas trabalham com este texto: **{0}** caracteres guardados em **{1}** bytes.")
    case .bytesTitle: return ("UTF-8 bytes", "Bytes UTF-8")
    case .character: return ("character", "caractere")
    case .codePoint: return ("code point", "ponto de código")
    case .utf8Bytes: return ("UTF-8 bytes", "bytes UTF-8")
    case .bytesExplanationASCII:
      return ("All **{0}** characters are ASCII, so each one is exactly one byte.",
              "Os **{0}** caracteres são ASCII, então cada um ocupa exatamente um byte.")
    case .bytesExplanationMultibyte:
      return ("**{0}** characters become **{1}** bytes: characters outside ASCII, like {2}, take two to four bytes each. A byte-level tokenizer starts from these {1} bytes.",
              "**{0}** caracteres viram **{1}** bytes: caracteres fora do ASCII, como {2}, ocupam de dois a quatro bytes cada. Um tokenizador em nível de bytes começa destes {1} bytes.")
    case .seedExplanation:
      return ("Random numbers now come from seed **{0}**: every run of this lesson draws the same ones.",
              "Os números aleatórios agora vêm da semente **{0}**: toda execução desta lição sorteia os mesmos.")
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
