// `minigpt-lessons bench`: the engine under the exact workloads of ../shared/bench (torch_gpt.py),
// so the two can be compared in the same run: same configurations, batch sizes, prompt and
// generation lengths, AdamW settings, warm-up and timed steps, and the same MFU formula.
import ArgumentParser
import Foundation
import MiniGPT

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training or generation speed on the reference workloads.",
    discussion: """
      Workloads (as ../shared/bench/torch_gpt.py): train = zero grads + forward + cross-entropy +
      backward + AdamW (lr 3e-4, betas 0.9/0.95, eps 1e-8, weight decay 0.1 on 2-D weights, no
      clipping) on 4 fixed random batches cycled; 3 warm-up steps, then 20 (tiny) or 10 (small)
      timed; tokens/s = B·T / median step time. generate = batch 1, random 16-token prompt,
      greedy, min(256, ctx − 16) new tokens with the KV cache; tokens/s = new tokens / (prefill +
      decode), median of 5 runs (2 for gpt2) after one warm-up.
      MFU = (6·N + 12·L·T·d) · tokens/s / peak, N = parameters without wpe (PaLM / nanoGPT
      estimate_mfu), peak = this backend's fp32 2048³ matmul GFLOP/s measured now (or --peak-gflops).

      Examples:
        minigpt-lessons bench --config tiny --mode train --threads 2
        minigpt-lessons bench --config gpt2 --mode generate --threads 2 --json
      """)

  enum Mode: String, ExpressibleByArgument { case train, generate }

  @Option(help: "tiny, small or gpt2.") var config: String = "tiny"
  @Option(help: "train or generate.") var mode: Mode = .train
  @OptionGroup var backendOptions: BackendOptions
  @Option(help: "Timed steps (train) or generations (generate); default as the PyTorch reference.") var steps: Int?
  @Option(help: "fp32 peak GFLOP/s for MFU (default: measured now).") var peakGflops: Double?
  @Option(help: "Generate without the KV cache (full prefix every token).") var noKvCache = false
  @Flag(help: "Print one JSON object.") var json = false
  @Option(help: "Seed for weights and data.") var seed: UInt64 = 1337

  func validate() throws {
    guard GPTConfiguration.presets[config] != nil else { throw ValidationError("--config must be tiny, small or gpt2") }
    if mode == .train && config == "gpt2" {
      throw ValidationError("gpt2 is benchmarked for generation only (as in the PyTorch reference)")
    }
    if let s = steps, s < 1 { throw ValidationError("--steps must be ≥ 1") }
  }

  func run() throws {
    let cfg = GPTConfiguration.presets[config]!
    let backend = try backendOptions.make()
    // The peak first, its 48 MB freed before the model exists, so peak memory is the model's own.
    let peak = mode == .train ? try peakGflops ?? measurePeakGflops(backend) : 0
    let model = try GPT(config: cfg, backend: backend, seed: seed)
    // Training keeps only what backward needs (ActivationLayout's lean mode; bit-identical results).
    model.leanActivations = true
    var result: [String: Any] = [
      "engine": "minigpt-lessons", "config": config, "mode": mode.rawValue, "backend": backend.kind.rawValue,
      "device": backend.deviceName, "threads": backendOptions.threads ?? defaultThreadCount(),
      "params": cfg.parameterCount,
    ]
    switch mode {
    case .train: try benchTrain(model, peak: peak, &result)
    case .generate: try benchGenerate(model, &result)
    }
    result["peak_rss_mb"] = Double(peakResidentBytes()) / 1_048_576
    if json {
      let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      printHuman(result)
    }
  }

  func benchTrain(_ model: GPT, peak: Double, _ result: inout [String: Any]) throws {
    let cfg = model.config
    let B = config == "tiny" ? 16 : 8, T = cfg.contextLength
    let timed = steps ?? (config == "tiny" ? 20 : 10), warmup = 3
    var rng = SplitMix64(seed: seed)
    let batches = (0..<4).map { _ in
      (
        (0..<B * T).map { _ in Int32(rng.nextInt(below: cfg.vocabSize)) },
        (0..<B * T).map { _ in Int32(rng.nextInt(below: cfg.vocabSize)) }
      )
    }
    let adamW = AdamWSettings(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradientClip: nil)
    let clock = ContinuousClock()
    var times: [Double] = []
    var firstLoss: Float = 0, lastLoss: Float = 0
    for i in 0..<(warmup + timed) {
      let (x, y) = batches[i % 4]
      let start = clock.now
      let (loss, _) = try model.trainStep(tokens: x, targets: y, B: B, T: T, learningRate: 3e-4, settings: adamW)
      let seconds = (clock.now - start).seconds
      if i == 0 { firstLoss = loss }
      if i >= warmup { times.append(seconds) }
      lastLoss = loss
    }
    let median = times.sorted()[times.count / 2]
    let tokensPerSecond = Double(B * T) / median
    let n = cfg.parameterCount - cfg.contextLength * cfg.embeddingSize
    let flopsPerToken = 6.0 * Double(n) + 12.0 * Double(cfg.layerCount * T * cfg.embeddingSize)
    result["batch"] = B; result["seq"] = T; result["steps"] = timed; result["warmup"] = warmup
    result["ms_per_step"] = median * 1000
    result["tokens_per_s"] = tokensPerSecond
    result["first_loss"] = Double(firstLoss); result["last_loss"] = Double(lastLoss)
    result["flops_per_token"] = flopsPerToken
    result["achieved_gflops"] = flopsPerToken * tokensPerSecond / 1e9
    result["peak_gflops"] = peak
    result["mfu"] = flopsPerToken * tokensPerSecond / 1e9 / peak
    result["mfu_formula"] = "(6*N + 12*L*T*d) * tokens/s / peak; N = params without wpe; peak = 2048^3 sgemm on this backend"
  }

  func benchGenerate(_ model: GPT, _ result: inout [String: Any]) throws {
    let cfg = model.config
    let promptLength = 16, newTokens = min(256, cfg.contextLength - 16)
    let reps = steps ?? (config == "gpt2" ? 2 : 5)
    var rng = SplitMix64(seed: seed)
    let prompt = (0..<promptLength).map { _ in Int32(rng.nextInt(below: cfg.vocabSize)) }
    func once() throws -> ([Int32], GenerationStats) {
      try model.generate(prompt: prompt, maxNewTokens: newTokens, sampling: .greedy, seed: 0, useCache: !noKvCache)
    }
    let (reference, _) = try once()  // warm-up
    var totals: [Double] = [], prefills: [Double] = []
    for _ in 0..<reps {
      let (tokens, stats) = try once()
      precondition(tokens == reference, "greedy generation is not deterministic")
      totals.append(stats.totalSeconds)
      prefills.append(stats.prefillSeconds)
    }
    let total = totals.sorted()[reps / 2], prefill = prefills.sorted()[reps / 2]
    let weightBytes = Double(cfg.parameterCount * 4)
    result["prompt_len"] = promptLength; result["new_tokens"] = newTokens; result["reps"] = reps
    result["kv_cache"] = !noKvCache
    result["tokens_per_s"] = Double(newTokens) / total
    result["decode_tokens_per_s"] = Double(newTokens - 1) / max(total - prefill, 1e-9)
    result["prefill_ms"] = prefill * 1000
    result["ms_per_token"] = total / Double(newTokens) * 1000
    result["weights_gb_per_s"] = weightBytes * Double(newTokens - 1) / max(total - prefill, 1e-9) / 1e9
    result["first_tokens"] = Array(reference.prefix(8)).map { Int($0) }
  }

  func printHuman(_ r: [String: Any]) {
    func f(_ key: String, _ digits: Int = 1) -> String {
      guard let v = r[key] as? Double else { return "–" }
      return String(format: "%.\(digits)f", v)
    }
    print("bench \(config) \(mode.rawValue) on \(r["device"] ?? "?") — \(r["params"] ?? 0) parameters")
    switch mode {
    case .train:
      print(
        "  \(f("tokens_per_s", 0)) tokens/s, \(f("ms_per_step")) ms/step (median of \(r["steps"] ?? 0), B=\(r["batch"] ?? 0) T=\(r["seq"] ?? 0))"
      )
      print(
        "  \(f("achieved_gflops")) GFLOP/s of \(f("peak_gflops")) peak → MFU \(String(format: "%.1f", (r["mfu"] as? Double ?? 0) * 100)) %"
      )
      print("  MFU formula: \(r["mfu_formula"] ?? "")")
      print("  loss \(f("first_loss", 4)) → \(f("last_loss", 4))")
    case .generate:
      print(
        "  \(f("tokens_per_s")) tokens/s (\(r["new_tokens"] ?? 0) new tokens after a \(r["prompt_len"] ?? 0)-token prompt, KV cache: \(r["kv_cache"] ?? true))"
      )
      print(
        "  decode \(f("decode_tokens_per_s")) tokens/s, prefill \(f("prefill_ms", 2)) ms, weights streamed at \(f("weights_gb_per_s")) GB/s"
      )
    }
    print("  peak memory \(f("peak_rss_mb", 0)) MB")
  }
}

/// fp32 GFLOP/s of a 2048³ matmul on this backend, best of 3 (as peak_sgemm.py's torch.matmul).
func measurePeakGflops(_ backend: any Backend) throws -> Double {
  let n = 2048
  var rng = SplitMix64(seed: 1)
  let a = try backend.makeTensor(rng.uniforms(n * n), shape: [n, n])
  let b = try backend.makeTensor(rng.uniforms(n * n), shape: [n, n])
  let c = try backend.makeTensor([n, n])
  let clock = ContinuousClock()
  var best = Double.infinity
  for _ in 0..<3 {
    let start = clock.now
    backend.matmulForward(out: c, inp: a, weight: b, bias: nil, N: n, C: n, OC: n)
    backend.synchronize()
    best = min(best, (clock.now - start).seconds)
  }
  return 2.0 * Double(n * n * n) / best / 1e9
}

/// Peak resident set size of this process (getrusage; Linux reports KiB, macOS bytes).
func peakResidentBytes() -> Int {
  var usage = rusage()
  #if os(Linux)
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Int(usage.ru_maxrss) * 1024
  #else
  getrusage(RUSAGE_SELF, &usage)
  return Int(usage.ru_maxrss)
  #endif
}
