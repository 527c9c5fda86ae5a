// A model to and from a Checkpoint (IO/Checkpoint.swift): parameters, AdamW state and step,
// so a saved run resumes exactly where it stopped.

extension GPT {
  /// Loads a model (and its optimizer state, when the checkpoint has one) onto `backend`.
  public convenience init(checkpoint: Checkpoint, backend: any Backend) throws {
    try self.init(config: checkpoint.config, backend: backend, parameterValues: checkpoint.parameters)
    if let o = checkpoint.optimizer { try restoreOptimizer(m: o.m, v: o.v, step: o.step) }
  }

  /// The model's current state, ready to save. With `includeOptimizer`, AdamW's m, v and step too.
  public func checkpoint(includeOptimizer: Bool = true, trainingState: [String: String] = [:]) -> Checkpoint {
    var optimizer: Checkpoint.OptimizerState?
    if includeOptimizer, let m = adamM, let v = adamV {
      optimizer = Checkpoint.OptimizerState(m: backend.read(m), v: backend.read(v), step: step)
    }
    return Checkpoint(config: config, parameters: parameterValues(), optimizer: optimizer, trainingState: trainingState)
  }
}
