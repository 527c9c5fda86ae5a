// Turning logits into the next token: greedy, temperature, top-k and top-p (nucleus; Holtzman
// et al. 2020), applied in Hugging Face's order (temperature → top-k → top-p), seeded.
// Ties are broken by the smaller token id, so the same seed always gives the same tokens.

public struct SamplingSettings: Codable, Hashable, Sendable {
  /// 0 means greedy (argmax).
  public var temperature: Float
  public var topK: Int?
  public var topP: Float?

  public init(temperature: Float = 1, topK: Int? = nil, topP: Float? = nil) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
  }

  public static let greedy = SamplingSettings(temperature: 0)

  public func validate() throws {
    guard temperature.isFinite, temperature >= 0 else {
      throw EngineError.invalidConfiguration("temperature must be ≥ 0, got \(temperature)")
    }
    if let k = topK, k < 1 { throw EngineError.invalidConfiguration("top-k must be ≥ 1, got \(k)") }
    if let p = topP, !(p > 0 && p <= 1) { throw EngineError.invalidConfiguration("top-p must be in (0, 1], got \(p)") }
  }
}

/// The distribution a sampler drew from, for explanations: candidates in decreasing probability.
public struct SamplingDistribution: Sendable {
  public struct Candidate: Sendable, Hashable {
    public var id: Int32
    public var logit: Float
    /// softmax(logits) — the model's own distribution (temperature 1, no filtering).
    public var modelProbability: Float
    /// After temperature, top-k and top-p, renormalised; 0 when filtered out.
    public var sampledProbability: Float
  }
  /// The `limit` most probable tokens under the final distribution (ties by id).
  public var top: [Candidate]
  /// How many tokens kept a non-zero probability.
  public var keptCount: Int
}

public struct Sampler: Sendable {
  public var settings: SamplingSettings
  public var rng: SplitMix64

  public init(settings: SamplingSettings, seed: UInt64) {
    self.settings = settings
    self.rng = SplitMix64(seed: seed)
  }

  /// Draws the next token from logits (V).
  public mutating func sample(_ logits: [Float]) -> Int32 {
    if settings.temperature == 0 { return Self.argmax(logits) }
    let (ids, probs) = Self.filtered(logits, settings)
    let u = Float(rng.nextDouble())
    var cumulative: Float = 0
    for (i, p) in zip(ids, probs) {
      cumulative += p
      if u < cumulative { return i }
    }
    return ids.last!  // rounding left u ≥ the final sum: take the last kept token
  }

  /// The distribution `sample` draws from, with the `limit` top candidates.
  public func distribution(_ logits: [Float], limit: Int = 10) -> SamplingDistribution {
    let model = Self.softmax(logits, temperature: 1)
    var final = [Float](repeating: 0, count: logits.count)
    var kept = 0
    if settings.temperature == 0 {
      final[Int(Self.argmax(logits))] = 1
      kept = 1
    } else {
      let (ids, probs) = Self.filtered(logits, settings)
      for (i, p) in zip(ids, probs) { final[Int(i)] = p }
      kept = ids.count
    }
    let order = Self.order(final, limit: limit)
    let top = order.map { i in
      SamplingDistribution.Candidate(id: Int32(i), logit: logits[i], modelProbability: model[i], sampledProbability: final[i])
    }
    return SamplingDistribution(top: top, keptCount: kept)
  }

  public static func argmax(_ logits: [Float]) -> Int32 {
    var best = 0
    for i in 1..<logits.count where logits[i] > logits[best] { best = i }
    return Int32(best)
  }

  /// softmax(logits / temperature) in Double for accuracy, returned as Float.
  public static func softmax(_ logits: [Float], temperature: Float) -> [Float] {
    let t = Double(max(temperature, 1e-6))
    let maxLogit = Double(logits.max() ?? 0)
    var exps = logits.map { _exp((Double($0) - maxLogit) / t) }
    let sum = exps.reduce(0, +)
    for i in exps.indices { exps[i] /= sum }
    return exps.map { Float($0) }
  }

  /// Indices of the `limit` largest values, descending, ties by smaller index.
  static func order(_ values: [Float], limit: Int) -> [Int] {
    let sorted = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
    return Array(sorted.prefix(limit))
  }

  /// Kept token ids (descending probability, ties by id) and their renormalised probabilities.
  static func filtered(_ logits: [Float], _ s: SamplingSettings) -> (ids: [Int32], probs: [Float]) {
    let probs = softmax(logits, temperature: s.temperature)
    if s.topK == nil && s.topP == nil {
      return (logits.indices.map { Int32($0) }, probs)  // id order is fine for drawing
    }
    var order = order(probs, limit: s.topK.map { min($0, logits.count) } ?? logits.count)
    if let p = s.topP {
      // Smallest prefix whose mass (within the top-k set, renormalised) reaches p.
      let mass = order.reduce(Float(0)) { $0 + probs[$1] }
      var cumulative: Float = 0
      var keep = 0
      for i in order {
        cumulative += probs[i] / mass
        keep += 1
        if cumulative >= p { break }
      }
      order = Array(order.prefix(max(1, keep)))
    }
    let kept = order.map { probs[$0] }
    let total = kept.reduce(0, +)
    return (order.map { Int32($0) }, kept.map { $0 / total })
  }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
