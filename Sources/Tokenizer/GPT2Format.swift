// GPT-2's original two files: vocab.json (token → id) and merges.txt ("#version: 0.2" then one
// "left right" pair per line, by rank). Reference: openai/gpt-2 src/encoder.py `get_encoder`;
// HF tokenizers models/bpe/model.rs `read_file` and `save` (the same layout).
import Foundation

extension BPETokenizer {
  /// Loads GPT-2 style vocab.json + merges.txt. Special tokens are matched in text; one missing
  /// from the vocabulary gets the next free id.
  public static func load(
    vocabularyJSON: URL, merges mergesURL: URL, specialTokens: [String] = ["<|endoftext|>"]
  ) throws -> BPETokenizer {
    let source = vocabularyJSON.path
    let root = try JSONReader.parse(try TokenizerFiles.read(vocabularyJSON), path: source)
    let file = FieldReader(path: source)
    guard case .object(let members) = root else {
      throw file.wrongType("(top level)", root, expected: "an object of token → id")
    }
    var vocabulary: [(String, Int)] = try members.map { token, id in (token, try file.integer(id, quoted(token))) }
    let merges = try parseMergesText(try TokenizerFiles.read(mergesURL), source: mergesURL.path)
    var nextID = (vocabulary.map(\.1).max() ?? -1) + 1
    var added: [AddedToken] = []
    for special in specialTokens {
      if let existing = vocabulary.first(where: { $0.0 == special }) {
        added.append(AddedToken(id: existing.1, content: special))
      } else {
        vocabulary.append((special, nextID))
        added.append(AddedToken(id: nextID, content: special))
        nextID += 1
      }
    }
    return try BPETokenizer(
      vocabulary: vocabulary, merges: merges, addedTokens: added, options: BPEOptions(), source: source)
  }

  /// Saves vocab.json and merges.txt (each atomically), laid out as HF's `model.save` writes them.
  public func saveGPT2Files(vocabularyJSON: URL, merges mergesURL: URL) throws {
    let entries = tokens.enumerated().compactMap { id, token in token.map { "\(jsonString($0)):\(id)" } }
    try TokenizerFiles.writeAtomically(Array(("{" + entries.joined(separator: ",") + "}").utf8), to: vocabularyJSON)
    var text = "#version: 0.2\n"
    for merge in merges { text += "\(tokens[merge.left]!) \(tokens[merge.right]!)\n" }
    try TokenizerFiles.writeAtomically(Array(text.utf8), to: mergesURL)
  }
}

/// The merges of a merges.txt: a first line starting with "#version" is skipped, as are empty
/// lines; every other line must be two tokens separated by one space.
func parseMergesText(_ bytes: [UInt8], source: String) throws -> [(String, String)] {
  guard let text = String(validating: bytes, as: UTF8.self) else {
    throw TokenizerError.invalidFile(path: source, field: "(file)", problem: "not valid UTF-8")
  }
  var merges: [(String, String)] = []
  for (k, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    var line = rawLine
    if line.hasSuffix("\r") { line = line.dropLast() }
    if line.isEmpty || (k == 0 && line.hasPrefix("#version")) { continue }
    let parts = line.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
      throw TokenizerError.invalidFile(
        path: source, field: "line \(k + 1)", problem: "\(quoted(String(line))) is not two tokens separated by one space")
    }
    merges.append((String(parts[0]), String(parts[1])))
  }
  return merges
}
