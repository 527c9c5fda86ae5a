// Linear layers on Vulkan: every product goes through Shaders/matmul.comp, a tiled 64×64,
// 4×4-register-blocked SGEMM whose strides select the transposes; the bias gradient is a
// column sum (column_sum.comp). Backward's three kernels are independent and may overlap.

extension VulkanBackend {
  /// C (M×N) (+)= A·B (+ bias): A[m,k] = a[m·aStrideM + k·aStrideK], B[k,n] = b[k·bStrideK + n·bStrideN].
  private func gemm(
    c: Tensor, a: Tensor, b: Tensor, bias: Tensor?, M: Int, N: Int, K: Int,
    aStrides: (m: Int, k: Int), bStrides: (k: Int, n: Int), accumulate: Bool
  ) {
    let tile = 64
    let flags = (accumulate ? 1 : 0) | (bias != nil ? 2 : 0)
    dispatch(
      VulkanSPIRV.matmul, [.write(c), .read(a), .read(b), bias.map { .read($0) } ?? .unused],
      constants(M, N, K, aStrides.m, aStrides.k, bStrides.k, bStrides.n, N, flags),
      groups: (N + tile - 1) / tile, groupsY: (M + tile - 1) / tile)
  }

  public func matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int) {
    precondition(out.count == N * OC && inp.count == N * C && weight.count == OC * C, "matmulForward: shapes")
    precondition(bias == nil || bias!.count == OC, "matmulForward: bias shape")
    guard N * OC > 0 else { return }
    // out (N,OC) = inp (N,C) · weightᵀ: B[k=c, n=oc] = weight[oc, c].
    gemm(c: out, a: inp, b: weight, bias: bias, M: N, N: OC, K: C, aStrides: (C, 1), bStrides: (1, C), accumulate: false)
  }

  public func matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor,
    N: Int, C: Int, OC: Int
  ) {
    precondition(dinp.count == N * C && dout.count == N * OC && inp.count == N * C, "matmulBackward: shapes")
    precondition(
      dweight.count == OC * C && weight.count == OC * C && (dbias == nil || dbias!.count == OC),
      "matmulBackward: parameter shapes")
    guard N * OC * C > 0 else { return }
    // dinp (N,C) += dout (N,OC) · weight (OC,C)
    gemm(c: dinp, a: dout, b: weight, bias: nil, M: N, N: C, K: OC, aStrides: (OC, 1), bStrides: (C, 1), accumulate: true)
    // dweight (OC,C) += doutᵀ · inp: A[m=oc, k=row] = dout[row, oc].
    gemm(c: dweight, a: dout, b: inp, bias: nil, M: OC, N: C, K: N, aStrides: (1, OC), bStrides: (C, 1), accumulate: true)
    if let dbias {
      dispatch(VulkanSPIRV.columnSum, [.write(dbias), .read(dout)], constants(N, OC), groups: groups(OC, workgroupSize: 64))
    }
  }
}
