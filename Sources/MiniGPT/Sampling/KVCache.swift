// swift-format-ignore-file
// (not reformatted: one call or entry per line with its shape comment aligned, to read as a script)
// Key/value cache for incremental decoding (batch 1): each layer keeps the k and v rows of every
// position seen so far, so a new token costs one row of work instead of a whole prefix.

public final class KVCache {
  public let maxLength: Int
  /// Per layer: (maxT, C) keys and values; rows 0..<length are valid.
  public let keys: [Tensor]
  public let values: [Tensor]
  /// Positions filled so far.
  public internal(set) var length: Int = 0

  init(config: GPTConfiguration, backend: any Backend) throws {
    maxLength = config.contextLength
    keys = try (0..<config.layerCount).map { _ in try backend.makeTensor([config.contextLength, config.embeddingSize]) }
    values = try (0..<config.layerCount).map { _ in try backend.makeTensor([config.contextLength, config.embeddingSize]) }
  }

  /// Bytes held by the filled part of the cache (k and v, all layers, fp32).
  public var filledBytes: Int { keys.count * 2 * length * (keys.first?.shape[1] ?? 0) * 4 }
  /// Bytes allocated for the whole context.
  public var capacityBytes: Int { keys.count * 2 * maxLength * (keys.first?.shape[1] ?? 0) * 4 }

  public func reset() { length = 0 }
}

extension GPT {
  /// Bytes generation allocates: parameters, a full KV cache and the decode buffers. In Double,
  /// for memory checks before allocating.
  public static func estimatedGenerationBytes(_ config: GPTConfiguration) -> Double {
    let cache = 2 * Double(config.layerCount) * Double(config.contextLength) * Double(config.embeddingSize)
    return 4 * (Double(config.parameterCount) + cache + DecodeStore.floatCount(config))
  }
}

/// Buffers for decoding up to maxT new rows at once (prefill) or one (a step); named like the
/// training activations so a lesson can show the same quantities for the cached path.
struct DecodeStore {
  let maxT: Int
  let x, x2, ln, atty, proj: Tensor    // (maxT, C)
  let mean, rstd: Tensor               // (maxT)
  let qkv: Tensor                      // (maxT, 3C)
  let att: Tensor                      // (NH, maxT, maxT)
  let fch, fchGelu: Tensor             // (maxT, 4C)
  let logits: Tensor                   // (1, V)

  /// Floats the store allocates, in Double for memory checks before allocating.
  static func floatCount(_ config: GPTConfiguration) -> Double {
    let T = Double(config.contextLength), C = Double(config.embeddingSize)
    // x, x2, ln, atty, proj (5C), qkv (3C), fch, fchGelu (8C), mean and rstd; att; logits.
    return T * (16 * C + 2) + Double(config.headCount) * T * T + Double(config.vocabSize)
  }

  init(config: GPTConfiguration, backend: any Backend) throws {
    let T = config.contextLength, C = config.embeddingSize
    maxT = T
    x = try backend.makeTensor([T, C]); x2 = try backend.makeTensor([T, C])
    ln = try backend.makeTensor([T, C]); atty = try backend.makeTensor([T, C]); proj = try backend.makeTensor([T, C])
    mean = try backend.makeTensor([T]); rstd = try backend.makeTensor([T])
    qkv = try backend.makeTensor([T, 3 * C])
    att = try backend.makeTensor([config.headCount, T, T])
    fch = try backend.makeTensor([T, 4 * C]); fchGelu = try backend.makeTensor([T, 4 * C])
    logits = try backend.makeTensor([1, config.vocabSize])
  }
}
