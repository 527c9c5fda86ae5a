// The cache of {train}'s results under the session's cache folder (models/cache/): one checkpoint
// per run (with AdamW's state, so training can go on), named by the SHA-256 of everything that
// determines it — the engine version, the backend kind, the starting model and optimizer state,
// the data and the settings. A file that cannot be read, or whose recorded key or parameter hash
// differs, is rebuilt — never trusted. ModelCache does the same for {model}'s trained models.
import Foundation
import MiniGPT

enum TrainingCache {
  static let keyField = ModelCache.keyField
  static let parametersHashField = ModelCache.parametersHashField

  /// The hash of the model's whole state: configuration, parameters, AdamW moments and step, and
  /// the kind of backend it runs on (backends differ in the last bits).
  static func modelState(_ model: GPT) -> SHA256 {
    var hash = SHA256()
    let c = model.config
    hash.update(
      "engine=\(ModelCache.engineVersion)\nbackend=\(model.backend.kind.rawValue)\n"
        + "config=\(c.vocabSize) \(c.contextLength) \(c.embeddingSize) \(c.layerCount) \(c.headCount)\n"
        + "step=\(model.step)\n")
    model.parameterValues().withUnsafeBytes { hash.update($0) }
    if let m = model.adamM, let v = model.adamV {
      model.read(m).withUnsafeBytes { hash.update($0) }
      model.read(v).withUnsafeBytes { hash.update($0) }
    }
    return hash
  }

  /// The file for `key` in `folder`: `train-<key>.safetensors`.
  static func url(in folder: URL, prefix: String, key: String) -> URL {
    folder.appendingPathComponent("\(prefix)-\(key).safetensors")
  }

  /// The cached checkpoint, if a valid one exists; nil when absent or unusable (and then rebuilt).
  static func load(_ url: URL, key: String, config: GPTConfiguration) -> Checkpoint? {
    guard FileManager.default.fileExists(atPath: url.path),
      let checkpoint = try? Checkpoint.load(from: url),
      checkpoint.trainingState[keyField] == key, checkpoint.config == config,
      checkpoint.trainingState[parametersHashField] == ModelCache.hash(checkpoint.parameters)
    else { return nil }
    return checkpoint
  }

  /// Saves atomically; a cache that cannot be written is not an error (the lesson still ran).
  static func save(_ checkpoint: Checkpoint, key: String, to url: URL) -> Bool {
    var checkpoint = checkpoint
    checkpoint.trainingState[keyField] = key
    checkpoint.trainingState[parametersHashField] = ModelCache.hash(checkpoint.parameters)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try checkpoint.save(to: url)
      return true
    } catch {
      return false
    }
  }
}
