// Checkpoints: the engine's flat parameter buffer (ParameterLayout order, Linear weights (out, in))
// to and from SafeTensors files with Hugging Face GPT-2 names. HF's Conv1D weights (c_attn, c_proj,
// c_fc, mlp.c_proj) are stored (in, out), so they are transposed on load and on save; our files
// therefore load in `transformers` too. Format decisions: docs/safetensors.md.

import Foundation

public struct Checkpoint: Sendable {
  /// AdamW's moments in the parameter layout, and the number of steps taken.
  public struct OptimizerState: Equatable, Sendable {
    public var m: [Float]
    public var v: [Float]
    public var step: Int
    public init(m: [Float], v: [Float], step: Int) { self.m = m; self.v = v; self.step = step }
  }

  public var config: GPTConfiguration
  /// All parameters in `ParameterLayout(config)` order and internal layout.
  public var parameters: [Float]
  public var optimizer: OptimizerState?
  /// Whatever training needs to resume (RNG state, data position, tokenizer path, …).
  public var trainingState: [String: String]

  public init(
    config: GPTConfiguration, parameters: [Float], optimizer: OptimizerState? = nil,
    trainingState: [String: String] = [:]
  ) {
    let n = ParameterLayout(config).totalCount
    precondition(parameters.count == n, "\(parameters.count) parameters for a layout of \(n)")
    precondition(optimizer.map { $0.m.count == n && $0.v.count == n } ?? true, "optimizer state does not match the layout")
    self.config = config
    self.parameters = parameters
    self.optimizer = optimizer
    self.trainingState = trainingState
  }

  // Metadata keys of our files. "format": "pt" is what save_pretrained writes and what
  // transformers 4.x requires, so our marker lives under its own key.
  public static let formatKey = "minigpt.format"
  public static let formatVersion = "minigpt-lessons/1"
  static let configKey = "minigpt.config"
  static let stepKey = "minigpt.optimizer.step"
  static let trainingPrefix = "minigpt.training."
  static let momentPrefixes = (m: "optimizer.m.", v: "optimizer.v.")

  /// The shape a parameter has in a file: Conv1D weights (in, out), everything else as inside.
  static func fileShape(_ entry: ParameterLayout.Entry) -> [Int] {
    ParameterLayout.isConv1DWeight(entry.name) ? [entry.shape[1], entry.shape[0]] : entry.shape
  }

  // MARK: Saving

  /// Writes our format atomically: HF names and layout, config and state in `__metadata__`.
  public func save(to url: URL) throws {
    try makeWriter(includeOptimizer: true).write(to: url)
  }

  /// Writes a folder `transformers` can open with `GPT2LMHeadModel.from_pretrained`:
  /// model.safetensors (no optimizer state) and config.json, each atomically.
  public func saveHuggingFaceFolder(to directory: URL) throws {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw EngineError.badFile(path: directory.path, problem: "cannot create the folder: \(error.localizedDescription)")
    }
    try makeWriter(includeOptimizer: false).write(to: directory.appendingPathComponent("model.safetensors"))
    let json = Array(config.huggingFaceConfigJSON().utf8)
    try AtomicFile.write(to: directory.appendingPathComponent("config.json")) { try $0.write(json) }
  }

  private func makeWriter(includeOptimizer: Bool) -> SafeTensorsWriter {
    var writer = SafeTensorsWriter(metadata: [
      "format": "pt", Self.formatKey: Self.formatVersion, Self.configKey: config.huggingFaceConfigJSON(),
    ])
    for (key, value) in trainingState { writer.metadata[Self.trainingPrefix + key] = value }
    let layout = ParameterLayout(config)
    func append(_ name: String, _ entry: ParameterLayout.Entry, from buffer: [Float]) {
      let slice = buffer[entry.offset..<(entry.offset + entry.count)]
      if ParameterLayout.isConv1DWeight(entry.name) {
        writer.append(
          name, shape: Self.fileShape(entry), floats: Self.transposed(slice, rows: entry.shape[0], columns: entry.shape[1]))
      } else {
        writer.append(name, shape: entry.shape, floats: slice)
      }
    }
    for entry in layout.entries { append(entry.name, entry, from: parameters) }
    if includeOptimizer, let optimizer {
      writer.metadata[Self.stepKey] = String(optimizer.step)
      for entry in layout.entries { append(Self.momentPrefixes.m + entry.name, entry, from: optimizer.m) }
      for entry in layout.entries { append(Self.momentPrefixes.v + entry.name, entry, from: optimizer.v) }
    }
    return writer
  }

  /// Row-major (rows, columns) → (columns, rows).
  static func transposed(_ source: ArraySlice<Float>, rows: Int, columns: Int) -> [Float] {
    precondition(source.count == rows * columns)
    return [Float](unsafeUninitializedCapacity: source.count) { out, count in
      source.withUnsafeBufferPointer { transpose($0, rows: rows, columns: columns, into: out) }
      count = source.count
    }
  }

  /// `destination[c * rows + r] = source[r * columns + c]`, in 32 × 32 tiles so that both sides
  /// stay in cache (a plain double loop strides through memory on one side: ~5× slower for 768 × 3072).
  static func transpose(
    _ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
    into destination: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(source.count == rows * columns && destination.count == rows * columns)
    let tile = 32
    for r0 in stride(from: 0, to: rows, by: tile) {
      for c0 in stride(from: 0, to: columns, by: tile) {
        for r in r0..<min(r0 + tile, rows) {
          for c in c0..<min(c0 + tile, columns) { destination[c * rows + r] = source[r * columns + c] }
        }
      }
    }
  }

  // MARK: Loading

  /// Loads (a) one of our .safetensors files, (b) a Hugging Face folder with model.safetensors and
  /// config.json, or (c) a bare HF model.safetensors with a config.json beside it. Every problem
  /// is an `EngineError.badFile` naming the file; shapes are checked before anything is allocated.
  public static func load(from url: URL) throws -> Checkpoint {
    var isDirectory: ObjCBool = false
    var modelURL = url
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      modelURL = url.appendingPathComponent("model.safetensors")
      guard FileManager.default.fileExists(atPath: modelURL.path) else {
        let sharded = FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors.index.json").path)
        throw EngineError.badFile(
          path: url.path,
          problem: sharded
            ? "sharded checkpoints (model.safetensors.index.json) are not supported"
            : "this folder has no model.safetensors; a Hugging Face model folder needs model.safetensors and config.json")
      }
    }
    let file = try SafeTensorsFile(contentsOf: modelURL)
    let config: GPTConfiguration
    let ours = file.metadata[formatKey] != nil
    if ours {
      guard file.metadata[formatKey] == formatVersion else {
        throw EngineError.badFile(
          path: file.path, problem: "written as \"\(file.metadata[formatKey]!)\"; this build reads \"\(formatVersion)\"")
      }
      guard let json = file.metadata[configKey] else {
        throw EngineError.badFile(path: file.path, problem: "__metadata__ lacks \"\(configKey)\"")
      }
      config = try GPTConfiguration(huggingFaceConfigJSON: Data(json.utf8), path: file.path + " (__metadata__ \(configKey))")
    } else {
      let configURL = modelURL.deletingLastPathComponent().appendingPathComponent("config.json")
      guard FileManager.default.fileExists(atPath: configURL.path) else {
        throw EngineError.badFile(
          path: file.path, problem: "no configuration: the file has no minigpt metadata and there is no config.json beside it")
      }
      config = try GPTConfiguration(huggingFaceConfigAt: configURL)
    }
    return try CheckpointReader(file: file, config: config, ours: ours).read()
  }
}
