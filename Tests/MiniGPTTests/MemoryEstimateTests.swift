import TestSupport
// The memory estimates the CLI checks before allocating must count exactly what the engine
// allocates: here every tensor of the backward scratch and the decode buffers, found by
// reflection, is summed and compared with the Double formulas.
import Testing

@testable import MiniGPT

@Suite struct MemoryEstimateTests {
  /// Elements of every `Tensor` stored property of `value`.
  static func tensorFloats(_ value: Any) -> Int {
    Mirror(reflecting: value).children.reduce(0) { $0 + (($1.value as? Tensor)?.count ?? 0) }
  }

  static let configs = [
    GPTModelTests.micro, GPTConfiguration(vocabSize: 37, contextLength: 9, embeddingSize: 20, layerCount: 3, headCount: 5),
  ]

  @Test func backwardScratchEstimateIsWhatIsAllocated() throws {
    let backend = ReferenceBackend()
    for config in Self.configs {
      let (B, T) = (2, 7)
      let logits = try backend.makeTensor([B, T, config.vocabSize])
      for lean in [false, true] {
        let scratch = try BackwardScratch(config: config, B: B, T: T, backend: backend, logits: lean ? logits : nil)
        // In lean mode dlogits is the logits' own buffer: not a new allocation.
        let allocated = Self.tensorFloats(scratch) - (lean ? logits.count : 0)
        #expect(BackwardScratch.floatCount(config, B: B, T: T, lean: lean) == Double(allocated))
      }
    }
  }

  @Test func generationEstimateIsWhatIsAllocated() throws {
    let backend = ReferenceBackend()
    for config in Self.configs {
      let store = try DecodeStore(config: config, backend: backend)
      #expect(DecodeStore.floatCount(config) == Double(Self.tensorFloats(store)))
      let cache = try KVCache(config: config, backend: backend)
      let cacheFloats = (cache.keys + cache.values).reduce(0) { $0 + $1.count }
      #expect(
        GPT.estimatedGenerationBytes(config)
          == 4 * Double(config.parameterCount + cacheFloats + Self.tensorFloats(store)))
    }
  }
}
