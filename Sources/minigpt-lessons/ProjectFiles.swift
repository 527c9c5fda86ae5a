// Where the default files live: the shipped model (models/mini_gpt.safetensors and its tokenizer)
// and the corpus (data/corpus_pt_br.txt). Looked up in the current directory first, then in the
// folders above the executable (.build/release/minigpt-lessons sits two or three levels under the
// checkout), so `generate` works from any directory after the quick start.
import Foundation

enum ProjectFiles {
  static let shippedModel = "models/mini_gpt.safetensors"
  static let corpus = "data/corpus_pt_br.txt"

  /// `relativePath` under the current directory, or under the nearest folder above the executable
  /// that has it; nil when neither exists. MINIGPT_HOME, when set, is tried first.
  static func locate(_ relativePath: String) -> URL? {
    var roots: [URL] = []
    if let home = ProcessInfo.processInfo.environment["MINIGPT_HOME"], !home.isEmpty {
      roots.append(URL(fileURLWithPath: home))
    }
    roots.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    var folder = executableURL().deletingLastPathComponent()
    for _ in 0..<6 {
      roots.append(folder)
      folder = folder.deletingLastPathComponent()
    }
    for root in roots {
      let candidate = root.appendingPathComponent(relativePath)
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate.standardizedFileURL }
    }
    return nil
  }

  static func executableURL() -> URL {
    if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).resolvingSymlinksInPath() }
    return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  }

  /// The tokenizer file written next to a model: models/mini_gpt.safetensors →
  /// models/mini_gpt.tokenizer.json.
  static func tokenizerURL(besideModel model: URL) -> URL {
    let base = model.pathExtension == "safetensors" ? model.deletingPathExtension() : model
    return base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + ".tokenizer.json")
  }
}
