// The optimizer's kernels on Vulkan: AdamW per parameter tensor (Shaders/adamw.comp) and the
// sum of squares for gradient-norm clipping (sum_of_squares.comp: per-workgroup partial sums,
// added on the host in double). Reference: torch.optim.AdamW, llm.c adamw_kernel.
import Foundation

extension VulkanBackend {
  public func sumOfSquares(_ tensor: Tensor) -> Float {
    guard tensor.count > 0 else { return 0 }
    let workgroups = min(groups(tensor.count, workgroupSize: 256), Self.sumOfSquaresGroups)
    let sums = Tensor(storage: partials, shape: [workgroups])
    dispatch(VulkanSPIRV.sumOfSquares, [.write(sums), .read(tensor)], constants(tensor.count), groups: workgroups)
    return Float(read(sums).reduce(0.0) { $0 + Double($1) })
  }

  public func adamWUpdate(
    params: Tensor, grads: Tensor, m: Tensor, v: Tensor, count: Int, learningRate: Float,
    beta1: Float, beta2: Float, eps: Float, weightDecay: Float, gradScale: Float, step t: Int
  ) {
    precondition(
      params.count >= count && grads.count >= count && m.count >= count && v.count >= count,
      "adamWUpdate: \(count) elements")
    precondition(t >= 1, "adamWUpdate: step \(t) (steps count from 1)")
    guard count > 0 else { return }
    let view = { (x: Tensor) in x.view(shape: [count]) }
    let beta1Correction = Float(1 - pow(Double(beta1), Double(t)))
    let beta2Correction = Float(1 - pow(Double(beta2), Double(t)))
    let floats = [learningRate, beta1, beta2, eps, weightDecay, gradScale, beta1Correction, beta2Correction]
    dispatch(
      VulkanSPIRV.adamw, [.write(view(params)), .write(view(m)), .write(view(v)), .read(view(grads))],
      constants(count) + floats.map(\.bitPattern), groups: groups(count, workgroupSize: 256))
  }
}
