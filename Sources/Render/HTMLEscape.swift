// The one escaping helper every string passes through on its way into HTML, in text and in
// double-quoted attribute values alike (OWASP XSS prevention, rule 1 and 2): & < > " ' become
// character references, so text from a corpus, model, tokenizer or prompt can never become markup.

public enum HTML {
  public static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }
}
