// AdamW with decoupled weight decay (Loshchilov & Hutter 2019; torch.optim.AdamW) applied to
// 2-D weights only, after global gradient-norm clipping (torch.nn.utils.clip_grad_norm_).

public struct AdamWSettings: Codable, Hashable, Sendable {
  public var beta1: Float = 0.9
  public var beta2: Float = 0.95
  public var eps: Float = 1e-8
  public var weightDecay: Float = 0.1
  /// Clip the global gradient norm to this value; nil = no clipping.
  public var gradientClip: Float? = 1.0

  public init(beta1: Float = 0.9, beta2: Float = 0.95, eps: Float = 1e-8, weightDecay: Float = 0.1, gradientClip: Float? = 1.0) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.weightDecay = weightDecay
    self.gradientClip = gradientClip
  }
}

/// What one optimizer step did, for the lessons.
public struct StepReport: Sendable {
  public var step: Int
  public var learningRate: Float
  /// Global L2 norm of the gradients before clipping.
  public var gradientNorm: Float
  /// The factor the gradients were multiplied by (1 when not clipped).
  public var clipScale: Float
}

extension GPT {
  /// Global L2 norm of all parameter gradients.
  public func gradientNorm() throws -> Float {
    backend.sumOfSquares(try ensureGradients()).squareRoot()
  }

  /// One AdamW update of every parameter from the current gradients.
  @discardableResult
  public func applyAdamW(learningRate: Float, settings: AdamWSettings = AdamWSettings()) throws -> StepReport {
    let grads = try ensureGradients()
    let (m, v) = try ensureOptimizerState()
    let norm = backend.sumOfSquares(grads).squareRoot()
    var scale: Float = 1
    // torch.nn.utils.clip_grad_norm_: coefficient max_norm / (norm + 1e-6), clamped to 1.
    if let clip = settings.gradientClip { scale = min(1, clip / (norm + 1e-6)) }
    step += 1
    for e in layout.entries {
      backend.adamWUpdate(
        params: parameters.view(start: e.offset, shape: e.shape),
        grads: grads.view(start: e.offset, shape: e.shape),
        m: m.view(start: e.offset, shape: e.shape), v: v.view(start: e.offset, shape: e.shape),
        count: e.count, learningRate: learningRate, beta1: settings.beta1, beta2: settings.beta2,
        eps: settings.eps, weightDecay: e.isDecayed ? settings.weightDecay : 0,
        gradScale: scale, step: step)
    }
    return StepReport(step: step, learningRate: learningRate, gradientNorm: norm, clipScale: scale)
  }

  /// forward + backward + AdamW: one training step on a batch. Returns the loss before the update.
  @discardableResult
  public func trainStep(
    tokens: [Int32], targets: [Int32], B: Int, T: Int, learningRate: Float,
    settings: AdamWSettings = AdamWSettings()
  ) throws -> (loss: Float, report: StepReport) {
    let loss = try forward(tokens: tokens, targets: targets, B: B, T: T)!
    try zeroGradients()
    try backward()
    let report = try applyAdamW(learningRate: learningRate, settings: settings)
    return (loss, report)
  }
}
