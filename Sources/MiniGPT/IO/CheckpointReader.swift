// Maps the tensors of a validated SafeTensors file onto ParameterLayout, checking names, shapes and
// dtypes against the configuration before allocating. HF conventions handled here: the
// "transformer." prefix of save_pretrained, a tied "lm_head.weight" (absent, or equal to wte),
// and the attention-mask buffers "h.N.attn.bias" / "h.N.attn.masked_bias" of older files.

struct CheckpointReader {
  let file: SafeTensorsFile
  let config: GPTConfiguration
  /// Our own format: may also hold optimizer moments.
  let ours: Bool

  private func bad(_ problem: String) -> EngineError { .badFile(path: file.path, problem: problem) }

  func read() throws -> Checkpoint {
    let layout = ParameterLayout(config)
    var found: [String: SafeTensorInfo] = [:]
    var lmHead: SafeTensorInfo?
    var unexpected: [String] = []
    for t in file.tensors {
      var name = t.name
      if name.hasPrefix("transformer.") { name.removeFirst("transformer.".count) }
      if name == "lm_head.weight" {
        lmHead = t
      } else if Self.isMaskBuffer(name) {
        continue
      } else if layout[name] != nil || (ours && name.hasPrefix("optimizer.")) {
        guard found.updateValue(t, forKey: name) == nil else {
          throw bad("tensor \"\(name)\" appears twice (with and without the \"transformer.\" prefix)")
        }
      } else {
        unexpected.append(t.name)
      }
    }
    guard unexpected.isEmpty else {
      let shown = unexpected.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
      throw bad(
        "unexpected tensor\(unexpected.count > 1 ? "s" : "") \(shown)\(unexpected.count > 3 ? " and \(unexpected.count - 3) more" : "") for a GPT-2 with n_layer=\(config.layerCount)"
      )
    }

    // Check everything first: a hostile config must not make us allocate.
    let step = try optimizerStep()
    let prefixes = step == nil ? [""] : ["", Checkpoint.momentPrefixes.m, Checkpoint.momentPrefixes.v]
    for prefix in prefixes {
      for entry in layout.entries { _ = try check(prefix + entry.name, expected: Checkpoint.fileShape(entry), in: found) }
    }
    if step == nil, let stray = found.keys.first(where: { $0.hasPrefix("optimizer.") }) {
      throw bad("tensor \"\(stray)\" is optimizer state but __metadata__ has no \"\(Checkpoint.stepKey)\"")
    }
    if let lmHead {
      guard lmHead.shape == [config.vocabSize, config.embeddingSize] else {
        throw bad("lm_head.weight has shape \(lmHead.shape); a tied head needs [\(config.vocabSize), \(config.embeddingSize)]")
      }
      try requireFloat(lmHead, name: "lm_head.weight")
    }

    let parameters = try gather(layout, prefix: "", from: found)
    if let lmHead, try file.floats(lmHead.name) != Array(parameters[0..<(config.vocabSize * config.embeddingSize)]) {
      throw bad("lm_head.weight differs from wte.weight; only GPT-2's tied LM head is supported")
    }
    var optimizer: Checkpoint.OptimizerState?
    if let step {
      optimizer = .init(
        m: try gather(layout, prefix: Checkpoint.momentPrefixes.m, from: found),
        v: try gather(layout, prefix: Checkpoint.momentPrefixes.v, from: found), step: step)
    }
    var state: [String: String] = [:]
    for (key, value) in file.metadata where key.hasPrefix(Checkpoint.trainingPrefix) {
      state[String(key.dropFirst(Checkpoint.trainingPrefix.count))] = value
    }
    return Checkpoint(config: config, parameters: parameters, optimizer: optimizer, trainingState: state)
  }

  /// HF's causal-mask buffers: constants, not parameters.
  static func isMaskBuffer(_ name: String) -> Bool {
    name.hasPrefix("h.") && (name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias"))
  }

  private func optimizerStep() throws -> Int? {
    guard ours, let text = file.metadata[Checkpoint.stepKey] else { return nil }
    guard let step = Int(text), step >= 0 else {
      throw bad("__metadata__ \"\(Checkpoint.stepKey)\" is \"\(text)\", not a step count")
    }
    return step
  }

  private func requireFloat(_ t: SafeTensorInfo, name: String) throws {
    switch t.dtype {
    case .f32, .f16, .bf16, .f64: return
    default: throw bad("tensor \"\(name)\" has dtype \(t.dtype.rawValue); parameters must be F32, F16, BF16 or F64")
    }
  }

  private func check(_ name: String, expected: [Int], in found: [String: SafeTensorInfo]) throws -> SafeTensorInfo {
    guard let t = found[name] else {
      throw bad("missing tensor \"\(name)\" (needed by a GPT-2 with n_layer=\(config.layerCount))")
    }
    guard t.shape == expected else {
      throw bad(
        "tensor \"\(name)\" has shape \(t.shape) but the configuration (vocab_size=\(config.vocabSize), n_positions=\(config.contextLength), n_embd=\(config.embeddingSize)) needs \(expected)"
      )
    }
    try requireFloat(t, name: name)
    return t
  }

  /// Copies the named tensors into one flat buffer, transposing the Conv1D weights to (out, in).
  private func gather(_ layout: ParameterLayout, prefix: String, from found: [String: SafeTensorInfo]) throws -> [Float] {
    var buffer = [Float](repeating: 0, count: layout.totalCount)
    try buffer.withUnsafeMutableBufferPointer { all in
      for entry in layout.entries {
        let t = found[prefix + entry.name]!
        let destination = UnsafeMutableBufferPointer(rebasing: all[entry.offset..<(entry.offset + entry.count)])
        if ParameterLayout.isConv1DWeight(entry.name) {
          // File (in, out) = (shape[1], shape[0]) → internal (out, in).
          let source = try file.floats(t.name)
          source.withUnsafeBufferPointer {
            Checkpoint.transpose($0, rows: entry.shape[1], columns: entry.shape[0], into: destination)
          }
        } else {
          try file.copyFloats(t.name, into: destination)
        }
      }
    }
    return buffer
  }
}
