// Hardware-aware training defaults (as the original Mini-GPT chose them per device) and the
// memory check that refuses a configuration too large for this machine before allocating.
// The estimates are the engine's (GPT.estimatedTrainingBytes / estimatedGenerationBytes, derived
// from the buffers it allocates).
import Foundation
import MiniGPT

struct TrainingDefaults {
  var batchSize: Int
  var learningRate: Float
  /// Why these values, shown to the user.
  var batchReason: String
  var learningRateReason: String

  /// Batches sized for the device: the naive reference backend gets small ones; a GPU gets large
  /// ones; the CPU backend's BLAS is efficient from 16 sequences of 128 tokens on. Wide models
  /// (GPT-2 124M) get GPT-2's 6e-4; narrow ones tolerate 1e-3 (nanoGPT's baby-model setting).
  static func forBackend(_ kind: BackendKind, config: GPTConfiguration) -> TrainingDefaults {
    let wide = config.embeddingSize >= 512
    let learningRate: Float = wide ? 6e-4 : 1e-3
    let lrReason = "lr \(wide ? "6e-4" : "1e-3") for width \(wide ? "≥" : "<") 512"
    switch kind {
    case .reference:
      return TrainingDefaults(
        batchSize: 4, learningRate: learningRate,
        batchReason: "batch 4 for the reference backend (naive loops)", learningRateReason: lrReason)
    case .cpu:
      let b = wide ? 8 : 16
      return TrainingDefaults(
        batchSize: b, learningRate: learningRate,
        batchReason: "batch \(b) for the CPU backend", learningRateReason: lrReason)
    case .vulkan:
      let b = wide ? 16 : 32
      return TrainingDefaults(
        batchSize: b, learningRate: learningRate,
        batchReason: "batch \(b) for the GPU backend", learningRateReason: lrReason)
    }
  }
}

enum MemoryBudget {
  static var physicalBytes: Double { Double(ProcessInfo.processInfo.physicalMemory) }

  /// Throws `CLIError.tooLarge` when `bytes` exceed 80 % of physical memory.
  static func check(_ bytes: Double, what: String) throws {
    let limit = 0.8 * physicalBytes
    guard bytes <= limit else {
      throw CLIError.tooLarge(
        String(
          format: "%@ needs about %.1f GiB but this machine has %.1f GiB of memory (the limit is 80%%); "
            + "use a smaller --config, --batch-size or --context", what, bytes / 1_073_741_824, physicalBytes / 1_073_741_824))
    }
  }
}
