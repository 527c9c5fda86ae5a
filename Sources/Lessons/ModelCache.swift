// Trained models cached between runs of a lesson: `{model} :train-on:` (and any directive whose
// result is expensive) stores a model and its tokenizer under the session's cache folder, named by
// the SHA-256 of everything that determines them (configuration, data bytes, steps, seed, engine
// version). A cached file is checked before use — key, configuration, tokenizer and parameter
// hashes — and rebuilt when anything is off, never trusted. Writes are atomic (Checkpoint.save).
import Foundation
import MiniGPT
import Tokenizer

struct ModelCache {
  /// Part of every key: change it when the engine's numbers change, so old caches are not reused.
  static let engineVersion = "minigpt-engine/1"

  static let keyField = "lesson.cache-key"
  static let tokenizerHashField = "lesson.tokenizer-sha256"
  static let parametersHashField = "lesson.parameters-sha256"

  let directory: URL

  /// The key of a result determined by `parts` (name, value), in order, plus the engine version.
  static func key(_ kind: String, _ parts: [(String, String)]) -> String {
    var hash = SHA256()
    hash.update("\(kind)\nengine=\(engineVersion)\n")
    for (name, value) in parts { hash.update("\(name)=\(value)\n") }
    return hash.finalizeHex()
  }

  func modelURL(_ key: String) -> URL { directory.appendingPathComponent("\(key).safetensors") }
  func tokenizerURL(_ key: String) -> URL { directory.appendingPathComponent("\(key).tokenizer.json") }

  /// What a cache lookup found.
  enum Lookup {
    case hit(GPT, BPETokenizer, trainingState: [String: String])
    case miss
    /// A file was there but failed a check; the reason is shown, and the result rebuilt.
    case rejected(String)
  }

  /// The cached model (on `backend`) and tokenizer for `key`, if present and intact.
  func load(key: String, config: GPTConfiguration, backend: any Backend) -> Lookup {
    let modelFile = modelURL(key), tokenizerFile = tokenizerURL(key)
    let fm = FileManager.default
    guard fm.fileExists(atPath: modelFile.path), fm.fileExists(atPath: tokenizerFile.path) else { return .miss }
    do {
      let checkpoint = try Checkpoint.load(from: modelFile)
      let state = checkpoint.trainingState
      guard state[Self.keyField] == key else { return .rejected("\(modelFile.lastPathComponent): its key does not match") }
      guard checkpoint.config == config else {
        return .rejected("\(modelFile.lastPathComponent): configuration differs from the one asked for")
      }
      guard state[Self.parametersHashField] == Self.hash(checkpoint.parameters) else {
        return .rejected("\(modelFile.lastPathComponent): parameters do not match their recorded hash")
      }
      let tokenizerBytes = try Data(contentsOf: tokenizerFile)
      guard state[Self.tokenizerHashField] == SHA256.hex(tokenizerBytes) else {
        return .rejected("\(tokenizerFile.lastPathComponent): does not match the model it was saved with")
      }
      let tokenizer = try BPETokenizer.load(from: tokenizerFile)
      let model = try GPT(checkpoint: checkpoint, backend: backend)
      return .hit(model, tokenizer, trainingState: state)
    } catch {
      return .rejected(LessonError.message(for: error))
    }
  }

  /// Saves `model` (without optimizer state) and `tokenizer` under `key`, each atomically; the
  /// model, written last, records the key and the hashes `load` checks.
  func store(key: String, model: GPT, tokenizer: BPETokenizer, trainingState: [String: String]) throws {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw LessonError.unwritable(path: directory.path, reason: "cannot create the cache folder")
    }
    try tokenizer.save(to: tokenizerURL(key))
    let tokenizerBytes = try Data(contentsOf: tokenizerURL(key))
    var state = trainingState
    var checkpoint = model.checkpoint(includeOptimizer: false)
    state[Self.keyField] = key
    state[Self.tokenizerHashField] = SHA256.hex(tokenizerBytes)
    state[Self.parametersHashField] = Self.hash(checkpoint.parameters)
    checkpoint.trainingState = state
    try checkpoint.save(to: modelURL(key))
  }

  /// SHA-256 of the parameters' little-endian float bytes.
  static func hash(_ values: [Float]) -> String {
    values.withUnsafeBytes { SHA256.hex($0) }
  }
}
