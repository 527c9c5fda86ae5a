// Loading a model for generate and chat: one of our .safetensors files (its tokenizer beside it,
// as `train` writes it) or a Hugging Face GPT-2 folder (model.safetensors + config.json, with
// tokenizer.json or vocab.json + merges.txt). With no path, the model shipped in models/.
import Foundation
import MiniGPT
import Tokenizer

struct LoadedModel {
  let model: GPT
  let tokenizer: BPETokenizer?
  let modelURL: URL
  let tokenizerURL: URL?
  /// What `train` recorded (settings, losses, …); empty for Hugging Face files.
  let trainingState: [String: String]
  /// End-of-text tokens: generation stops there and they are not printed.
  let stopTokens: Set<Int32>

  /// The text of generated ids; ids the tokenizer does not know show as U+FFFD.
  func bytes(of ids: [Int32]) -> [UInt8] {
    guard let tokenizer else { return [] }
    return ids.flatMap { tokenizer.bytes(of: Int($0)) ?? Array("\u{FFFD}".utf8) }
  }
}

enum ModelLoader {
  /// Special tokens that end a text (ours and GPT-2's).
  static let endOfTextTokens = ["<EOS>", "<|endoftext|>"]

  static func load(modelPath: String?, tokenizerPath: String?, backend: any Backend) throws -> LoadedModel {
    let modelURL = try resolveModel(modelPath)
    let checkpoint = try Checkpoint.load(from: modelURL)
    // Only the parameters: an optimizer state in the file is not needed to generate.
    let model = try GPT(config: checkpoint.config, backend: backend, parameterValues: checkpoint.parameters)
    let tokenizerURL = try resolveTokenizer(tokenizerPath, model: modelURL, state: checkpoint.trainingState)
    let tokenizer = try tokenizerURL.map { try BPETokenizer.load(from: $0) }
    if let tokenizer, tokenizer.vocabularySize > checkpoint.config.vocabSize {
      throw CLIError.mismatch(
        "\(tokenizerURL!.path) has \(tokenizer.vocabularySize) tokens but the model \(modelURL.path) only "
          + "\(checkpoint.config.vocabSize); they do not belong together (pass the right --tokenizer)")
    }
    let stops = Set(endOfTextTokens.compactMap { tokenizer?.id(of: $0) }.map { Int32($0) })
    return LoadedModel(
      model: model, tokenizer: tokenizer, modelURL: modelURL, tokenizerURL: tokenizerURL,
      trainingState: checkpoint.trainingState, stopTokens: stops)
  }

  static func resolveModel(_ path: String?) throws -> URL {
    guard let path else {
      guard let shipped = ProjectFiles.locate(ProjectFiles.shippedModel) else {
        throw CLIError.missingFile(
          "no --model given and the shipped model \(ProjectFiles.shippedModel) was not found (looked in the "
            + "current folder and above the executable); pass --model PATH or train one with `minigpt-lessons train`")
      }
      return shipped
    }
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw CLIError.missingFile(
        "\(path): no such file or folder (give one of our .safetensors files or a Hugging Face GPT-2 folder)")
    }
    return url
  }

  /// The explicit path; else a Hugging Face folder's own tokenizer files; else the one `train`
  /// recorded; else <model>.tokenizer.json or a tokenizer.json beside the model; else nil.
  static func resolveTokenizer(_ path: String?, model: URL, state: [String: String]) throws -> URL? {
    let files = FileManager.default
    if let path {
      guard files.fileExists(atPath: path) else { throw CLIError.missingFile("\(path): no such tokenizer file or folder") }
      return URL(fileURLWithPath: path)
    }
    var isFolder: ObjCBool = false
    if files.fileExists(atPath: model.path, isDirectory: &isFolder), isFolder.boolValue {
      let hasJSON = files.fileExists(atPath: model.appendingPathComponent("tokenizer.json").path)
      let hasGPT2 =
        files.fileExists(atPath: model.appendingPathComponent("vocab.json").path)
        && files.fileExists(atPath: model.appendingPathComponent("merges.txt").path)
      return hasJSON || hasGPT2 ? model : nil
    }
    let folder = model.deletingLastPathComponent()
    var candidates: [URL] = []
    if let recorded = state[TrainingStateKey.tokenizer] {
      candidates.append(recorded.hasPrefix("/") ? URL(fileURLWithPath: recorded) : folder.appendingPathComponent(recorded))
    }
    candidates.append(ProjectFiles.tokenizerURL(besideModel: model))
    candidates.append(folder.appendingPathComponent("tokenizer.json"))
    return candidates.first { files.fileExists(atPath: $0.path) }
  }
}

/// Errors of the command-line layer (the engine and tokenizer have their own enums).
enum CLIError: Error, CustomStringConvertible {
  case missingFile(String)
  case invalidValue(String)
  case mismatch(String)
  case tooLarge(String)

  var description: String {
    switch self {
    case .missingFile(let why), .invalidValue(let why), .mismatch(let why), .tooLarge(let why): return why
    }
  }
}
