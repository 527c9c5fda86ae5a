// Reading and writing Hugging Face tokenizer.json for a byte-level BPE.
// Reference: HF tokenizers tokenizer/serialization.rs, models/bpe/serialization.rs (merges as
// "a b" strings or, since 0.20, [a, b] arrays), pre_tokenizers/byte_level.rs. What this module
// cannot reproduce (normalizers, other pre-tokenizers, dropout…) is refused with `unsupported`.
import Foundation

extension BPETokenizer {
  /// Loads a tokenizer from a tokenizer.json file, or from a folder holding tokenizer.json or
  /// GPT-2's vocab.json + merges.txt (whose special token is `<|endoftext|>`).
  public static func load(from url: URL) throws -> BPETokenizer {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      throw TokenizerError.fileAccess(path: url.path, problem: "no such file or folder")
    }
    guard isFolder.boolValue else {
      return try BPETokenizer(tokenizerJSON: try TokenizerFiles.read(url), source: url.path)
    }
    let json = url.appendingPathComponent("tokenizer.json")
    if FileManager.default.fileExists(atPath: json.path) { return try load(from: json) }
    return try load(
      vocabularyJSON: url.appendingPathComponent("vocab.json"), merges: url.appendingPathComponent("merges.txt"))
  }

  /// Saves as a Hugging Face tokenizer.json, atomically.
  public func save(to url: URL) throws {
    try TokenizerFiles.writeAtomically(Array(tokenizerJSON().utf8), to: url)
  }

  /// Parses a tokenizer.json; `source` names it in errors.
  public convenience init(tokenizerJSON bytes: [UInt8], source: String) throws {
    let root = try JSONReader.parse(bytes, path: source)
    let file = FieldReader(path: source)
    guard case .object = root else { throw file.wrongType("(top level)", root, expected: "an object") }
    var options = BPEOptions()
    if let normalizer = root["normalizer"], normalizer != .null, !isEmptySequence(normalizer, "normalizers") {
      throw TokenizerError.unsupported(path: source, field: "normalizer", feature: "a normalizer")
    }
    if let pre = root["pre_tokenizer"], pre != .null {
      let byteLevel = try file.byteLevelStep(pre, field: "pre_tokenizer")
      options.addsPrefixSpace = try file.bool(byteLevel["add_prefix_space"], "pre_tokenizer.add_prefix_space") ?? false
      options.usesPattern = try file.bool(byteLevel["use_regex"], "pre_tokenizer.use_regex") ?? true
    } else {
      throw TokenizerError.unsupported(
        path: source, field: "pre_tokenizer", feature: "a tokenizer without the ByteLevel pre-tokenizer")
    }
    if let decoder = root["decoder"], decoder != .null { _ = try file.byteLevelStep(decoder, field: "decoder") }
    if let post = root["post_processor"], post != .null { _ = try file.byteLevelStep(post, field: "post_processor") }

    guard let model = root["model"] else { throw file.missing("model") }
    guard case .object = model else { throw file.wrongType("model", model, expected: "an object") }
    if let type = model["type"] {
      let name = try file.string(type, "model.type")
      guard name == "BPE" else {
        throw TokenizerError.unsupported(path: source, field: "model.type", feature: "the model \(quoted(name))")
      }
    }
    for key in ["dropout", "continuing_subword_prefix", "end_of_word_suffix"] {
      if let value = model[key], value != .null, value != .string("") {
        throw TokenizerError.unsupported(path: source, field: "model.\(key)", feature: "\(key) \(value.kind)")
      }
    }
    if try file.bool(model["byte_fallback"], "model.byte_fallback") == true {
      throw TokenizerError.unsupported(path: source, field: "model.byte_fallback", feature: "byte_fallback")
    }
    options.ignoresMerges = try file.bool(model["ignore_merges"], "model.ignore_merges") ?? false
    options.fusesUnknown = try file.bool(model["fuse_unk"], "model.fuse_unk") ?? false
    if let unknown = model["unk_token"], unknown != .null { options.unknownToken = try file.string(unknown, "model.unk_token") }

    guard let vocabValue = model["vocab"] else { throw file.missing("model.vocab") }
    guard case .object(let members) = vocabValue else {
      throw file.wrongType("model.vocab", vocabValue, expected: "an object of token → id")
    }
    let vocabulary = try members.map { token, id in (token, try file.integer(id, "model.vocab[\(quoted(token))]")) }
    let merges = try file.merges(model["merges"] ?? .array([]))
    var added: [AddedToken] = []
    if let list = root["added_tokens"], list != .null {
      guard case .array(let items) = list else { throw file.wrongType("added_tokens", list, expected: "an array") }
      for (k, item) in items.enumerated() {
        let field = "added_tokens[\(k)]"
        guard case .object = item else { throw file.wrongType(field, item, expected: "an object") }
        guard let id = item["id"] else { throw file.missing("\(field).id") }
        guard let content = item["content"] else { throw file.missing("\(field).content") }
        if try file.bool(item["single_word"], "\(field).single_word") == true {
          throw TokenizerError.unsupported(path: source, field: "\(field).single_word", feature: "single_word")
        }
        added.append(
          AddedToken(
            id: try file.integer(id, "\(field).id"), content: try file.string(content, "\(field).content"),
            isSpecial: try file.bool(item["special"], "\(field).special") ?? false,
            stripsLeft: try file.bool(item["lstrip"], "\(field).lstrip") ?? false,
            stripsRight: try file.bool(item["rstrip"], "\(field).rstrip") ?? false))
      }
    }
    try self.init(vocabulary: vocabulary, merges: merges, addedTokens: added, options: options, source: source)
  }

  /// This tokenizer as a Hugging Face tokenizer.json, laid out as the `tokenizers` library writes it.
  public func tokenizerJSON() -> String {
    var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": "
    out += jsonArray(addedTokens, indent: "  ") { token, indent in
      let fields = [
        "\"id\": \(token.id)", "\"content\": \(jsonString(token.content))", "\"single_word\": false",
        "\"lstrip\": \(token.stripsLeft)", "\"rstrip\": \(token.stripsRight)", "\"normalized\": false",
        "\"special\": \(token.isSpecial)",
      ]
      return "{\n" + fields.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
    }
    let byteLevel = { (prefixSpace: Bool) in
      "{\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": \(prefixSpace),\n    \"trim_offsets\": true,\n"
        + "    \"use_regex\": \(self.options.usesPattern)\n  }"
    }
    out += ",\n  \"normalizer\": null,\n  \"pre_tokenizer\": \(byteLevel(options.addsPrefixSpace)),\n"
    out += "  \"post_processor\": null,\n  \"decoder\": \(byteLevel(true)),\n"
    out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n"
    out += "    \"unk_token\": \(options.unknownToken.map(jsonString) ?? "null"),\n"
    out += "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n"
    out += "    \"fuse_unk\": \(options.fusesUnknown),\n    \"byte_fallback\": false,\n"
    out += "    \"ignore_merges\": \(options.ignoresMerges),\n    \"vocab\": "
    let vocabulary = tokens.enumerated().compactMap { id, token in token.map { (id, $0) } }
    out +=
      vocabulary.isEmpty
      ? "{}"
      : "{\n"
        + vocabulary.map { "      \(jsonString($0.1)): \($0.0)" }.joined(separator: ",\n") + "\n    }"
    out += ",\n    \"merges\": "
    out += jsonArray(merges, indent: "    ") { merge, indent in
      "[\n\(indent)  \(jsonString(tokens[merge.left]!)),\n\(indent)  \(jsonString(tokens[merge.right]!))\n\(indent)]"
    }
    return out + "\n  }\n}"
  }
}

/// serde_json's pretty layout of an array: one element per line, two more spaces of indent.
private func jsonArray<T>(_ items: [T], indent: String, _ element: (T, String) -> String) -> String {
  guard !items.isEmpty else { return "[]" }
  let inner = indent + "  "
  return "[\n" + items.map { inner + element($0, inner) }.joined(separator: ",\n") + "\n\(indent)]"
}

private func isEmptySequence(_ value: JSONValue, _ key: String) -> Bool {
  value["type"] == .string("Sequence") && value[key] == .array([])
}

/// Typed access to JSON fields with errors that name the file and the field.
struct FieldReader {
  let path: String

  func missing(_ field: String) -> TokenizerError {
    .invalidFile(path: path, field: field, problem: "missing")
  }

  func wrongType(_ field: String, _ value: JSONValue, expected: String) -> TokenizerError {
    .invalidFile(path: path, field: field, problem: "expected \(expected), found \(value.kind)")
  }

  func integer(_ value: JSONValue, _ field: String) throws -> Int {
    guard case .number(_, let integer?) = value else { throw wrongType(field, value, expected: "an integer") }
    return integer
  }

  func string(_ value: JSONValue, _ field: String) throws -> String {
    guard case .string(let s) = value else { throw wrongType(field, value, expected: "a string") }
    return s
  }

  func bool(_ value: JSONValue?, _ field: String) throws -> Bool? {
    guard let value, value != .null else { return nil }
    guard case .bool(let b) = value else { throw wrongType(field, value, expected: "true or false") }
    return b
  }

  /// Merges in either form: "a b" strings (exactly one space) or [a, b] arrays.
  func merges(_ value: JSONValue) throws -> [(String, String)] {
    guard case .array(let items) = value else { throw wrongType("model.merges", value, expected: "an array") }
    return try items.enumerated().map { k, item in
      let field = "model.merges[\(k)]"
      switch item {
      case .string(let s):
        let parts = s.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
          throw TokenizerError.invalidFile(
            path: path, field: field, problem: "\(quoted(s)) is not two tokens separated by one space")
        }
        return (String(parts[0]), String(parts[1]))
      case .array(let pair) where pair.count == 2:
        return (try string(pair[0], field + "[0]"), try string(pair[1], field + "[1]"))
      default:
        throw wrongType(field, item, expected: "a string \"a b\" or an array of two strings")
      }
    }
  }

  /// The ByteLevel step of a pre-tokenizer, decoder or post-processor: the object itself or
  /// the only step of a Sequence.
  func byteLevelStep(_ value: JSONValue, field: String) throws -> JSONValue {
    guard case .object = value else { throw wrongType(field, value, expected: "an object") }
    let listKey = ["pretokenizers", "decoders", "processors"].first { value[$0] != nil }
    if value["type"] == .string("Sequence"), let listKey, case .array(let steps)? = value[listKey], steps.count == 1 {
      return try byteLevelStep(steps[0], field: "\(field).\(listKey)[0]")
    }
    guard value["type"] == .string("ByteLevel") else {
      let type = value["type"].flatMap { if case .string(let s) = $0 { return s } else { return nil } } ?? "?"
      throw TokenizerError.unsupported(path: path, field: field, feature: "the type \(quoted(type))")
    }
    return value
  }
}
