// The cache of expensive training results under the session's cache folder (models/cache/):
// one checkpoint per run, named by a hash of everything that determines it (the engine version,
// the backend kind, the starting model and optimizer state, the data and the settings). A file
// that cannot be read, or whose recorded key differs, is rebuilt — never trusted.
import Foundation
import MiniGPT

/// FNV-1a (Fowler–Noll–Vo) over 64-bit words rather than bytes: 8× fewer steps, still spreading
/// every input bit. For cache names, not for security.
struct ContentHash {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
  private static let prime: UInt64 = 0x0000_0100_0000_01B3

  mutating func combine(word: UInt64) {
    value = (value ^ word) &* Self.prime
    value ^= value >> 29  // folds high bits down, so bytes in the high half affect the low ones
  }

  mutating func combine(_ text: String) {
    combine(word: UInt64(text.utf8.count))
    var word: UInt64 = 0, shift: UInt64 = 0
    for byte in text.utf8 {
      word |= UInt64(byte) << shift
      shift += 8
      if shift == 64 {
        combine(word: word)
        (word, shift) = (0, 0)
      }
    }
    combine(word: word)
  }

  mutating func combine(_ values: [Float]) {
    combine(word: UInt64(values.count))
    values.withUnsafeBufferPointer { buffer in
      var i = 0
      while i + 1 < buffer.count {
        combine(word: UInt64(buffer[i].bitPattern) | UInt64(buffer[i + 1].bitPattern) << 32)
        i += 2
      }
      if i < buffer.count { combine(word: UInt64(buffer[i].bitPattern)) }
    }
  }

  mutating func combine(_ values: [Int32]) {
    combine(values.map { Float(bitPattern: UInt32(bitPattern: $0)) })
  }

  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

enum TrainingCache {
  /// Bump when the engine's numbers change (kernels, initialisation, sampling), so old caches
  /// are not reused.
  static let engineVersion = "minigpt-engine/1"

  static let keyField = "lessons.cache.key"

  /// The hash of the model's whole state: configuration, parameters, AdamW moments and step, and
  /// the kind of backend it runs on (backends differ in the last bits).
  static func modelState(_ model: GPT) -> ContentHash {
    var hash = ContentHash()
    hash.combine(engineVersion)
    hash.combine(model.backend.kind.rawValue)
    hash.combine("\(model.config.vocabSize) \(model.config.contextLength) \(model.config.embeddingSize) \(model.config.layerCount) \(model.config.headCount)")
    hash.combine(model.parameterValues())
    if let m = model.adamM, let v = model.adamV {
      hash.combine(model.read(m))
      hash.combine(model.read(v))
    }
    hash.combine(word: UInt64(model.step))
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
      checkpoint.trainingState[keyField] == key, checkpoint.config == config
    else { return nil }
    return checkpoint
  }

  /// Saves atomically; a cache that cannot be written is not an error (the lesson still ran).
  static func save(_ checkpoint: Checkpoint, to url: URL) -> Bool {
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try checkpoint.save(to: url)
      return true
    } catch {
      return false
    }
  }
}
