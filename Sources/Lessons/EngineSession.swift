// What the engine directives share through the session: the backend (made once per lesson),
// the model and the tokenizer. With no {model} directive, a lesson uses the shipped model and
// tokenizer (models/mini_gpt.safetensors + models/mini_gpt.tokenizer.json, trained by
// `minigpt-lessons train` on data/corpus_pt_br.txt; see models/README.md).
import Foundation
import LessonModel
import MiniGPT
import Tokenizer

enum ModelSlot: SessionSlot { static var defaultValue: GPT? { nil } }
enum TokenizerSlot: SessionSlot { static var defaultValue: BPETokenizer? { nil } }
enum BackendSlot: SessionSlot { static var defaultValue: (any Backend)? { nil } }
/// Where the current model came from, for explanations ("the shipped model", a path, a preset).
enum ModelOriginSlot: SessionSlot { static var defaultValue: String? { nil } }

extension Session {
  /// The folder holding the shipped model (the parent of the cache folder: `models/`).
  public var modelsDirectory: URL { cacheDirectory.deletingLastPathComponent() }
  public var shippedModelURL: URL { modelsDirectory.appendingPathComponent("mini_gpt.safetensors") }
  public var shippedTokenizerURL: URL { modelsDirectory.appendingPathComponent("mini_gpt.tokenizer.json") }

  /// The lesson's backend, made on first use from `backend` (front matter, --backend). The CPU
  /// backend uses every core.
  public func engineBackend() throws -> any Backend {
    if let made = self[BackendSlot.self] { return made }
    let made = try makeBackend(backend, threads: defaultThreadCount())
    self[BackendSlot.self] = made
    return made
  }

  /// Replaces the backend (a directive's `:backend:` option, lesson 09).
  public func useBackend(_ choice: BackendChoice) throws -> any Backend {
    let made = try makeBackend(choice, threads: defaultThreadCount())
    self[BackendSlot.self] = made
    return made
  }

  /// The current model: the one a {model} directive set, else the shipped one.
  public func model() throws -> GPT {
    if let m = self[ModelSlot.self] { return m }
    try loadShipped()
    return self[ModelSlot.self]!
  }

  /// The current tokenizer: the one a {model}/{tokenizer} directive set, else the shipped one.
  public func tokenizer() throws -> BPETokenizer {
    if let t = self[TokenizerSlot.self] { return t }
    try loadShipped()
    return self[TokenizerSlot.self]!
  }

  public func setModel(_ model: GPT, origin: String) {
    self[ModelSlot.self] = model
    self[ModelOriginSlot.self] = origin
  }

  public func setTokenizer(_ tokenizer: BPETokenizer) { self[TokenizerSlot.self] = tokenizer }

  public var modelOrigin: String? { self[ModelOriginSlot.self] }

  private func loadShipped() throws {
    let fm = FileManager.default
    guard fm.fileExists(atPath: shippedModelURL.path), fm.fileExists(atPath: shippedTokenizerURL.path) else {
      throw LessonError.directiveFailed(
        "the shipped model is missing (\(shippedModelURL.path) and \(shippedTokenizerURL.lastPathComponent)); "
          + "train it with `minigpt-lessons train`, or start the lesson with a {model} directive")
    }
    if self[ModelSlot.self] == nil {
      let checkpoint = try Checkpoint.load(from: shippedModelURL)
      setModel(try GPT(checkpoint: checkpoint, backend: try engineBackend()), origin: "models/mini_gpt.safetensors")
    }
    if self[TokenizerSlot.self] == nil {
      setTokenizer(try BPETokenizer.load(from: shippedTokenizerURL))
    }
  }
}

/// Turning engine tensors into outputs: the first rows and columns, labelled.
extension TensorPreview {
  /// A preview of `values` viewed as (rows, columns), at most `maxRows` × `maxColumns`.
  public init(
    name: String, shape: [Int], values: [Float], rows: Int, columns: Int,
    rowLabels: [String]? = nil, maxRows: Int = 8, maxColumns: Int = 8,
    format: ValueFormat = .fixed(4), collapsed: Bool = false
  ) {
    let shownRows = min(rows, maxRows), shownColumns = min(columns, maxColumns)
    var matrix: [[Float]] = []
    for r in 0..<shownRows {
      matrix.append((0..<shownColumns).map { values[r * columns + $0] })
    }
    self.init(
      name: name, shape: shape, values: matrix, rowLabels: rowLabels.map { Array($0.prefix(shownRows)) },
      hiddenRows: rows - shownRows, hiddenColumns: columns - shownColumns, format: format,
      collapsed: collapsed)
  }
}
