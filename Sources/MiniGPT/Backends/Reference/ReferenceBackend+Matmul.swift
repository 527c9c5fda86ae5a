// Reference linear layer (llm.c matmul_forward_naive / matmul_backward), PyTorch nn.Linear
// layout: out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias. Dot products are summed in Double.

extension ReferenceBackend {
  public func matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int) {
    requireCount(out, N * OC, "matmulForward out")
    requireCount(inp, N * C, "matmulForward inp")
    requireCount(weight, OC * C, "matmulForward weight")
    if let bias { requireCount(bias, OC, "matmulForward bias") }
    let o = out.hostPointer, x = inp.hostPointer, w = weight.hostPointer, bp = bias?.hostPointer
    for n in 0..<N {
      for oc in 0..<OC {
        var sum = bp.map { Double($0[oc]) } ?? 0
        for c in 0..<C { sum += Double(x[n * C + c]) * Double(w[oc * C + c]) }
        o[n * OC + oc] = Float(sum)
      }
    }
  }

  public func matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor,
    N: Int, C: Int, OC: Int
  ) {
    requireCount(dinp, N * C, "matmulBackward dinp")
    requireCount(inp, N * C, "matmulBackward inp")
    requireCount(dweight, OC * C, "matmulBackward dweight")
    requireCount(weight, OC * C, "matmulBackward weight")
    requireCount(dout, N * OC, "matmulBackward dout")
    if let dbias { requireCount(dbias, OC, "matmulBackward dbias") }
    let dx = dinp.hostPointer, dw = dweight.hostPointer, dy = dout.hostPointer
    let x = inp.hostPointer, w = weight.hostPointer
    // Rows are accumulated in a Double scratch row, walking memory contiguously.
    var acc = [Double](repeating: 0, count: C)
    // dinp[n,:] += Σ_oc dout[n,oc] · weight[oc,:]
    for n in 0..<N {
      for c in 0..<C { acc[c] = 0 }
      for oc in 0..<OC {
        let d = Double(dy[n * OC + oc])
        for c in 0..<C { acc[c] += d * Double(w[oc * C + c]) }
      }
      for c in 0..<C { dx[n * C + c] += Float(acc[c]) }
    }
    // dweight[oc,:] += Σ_n dout[n,oc] · inp[n,:]; dbias[oc] += Σ_n dout[n,oc]
    for oc in 0..<OC {
      for c in 0..<C { acc[c] = 0 }
      var biasSum = 0.0
      for n in 0..<N {
        let d = Double(dy[n * OC + oc])
        biasSum += d
        for c in 0..<C { acc[c] += d * Double(x[n * C + c]) }
      }
      for c in 0..<C { dw[oc * C + c] += Float(acc[c]) }
      if let db = dbias?.hostPointer { db[oc] += Float(biasSum) }
    }
  }
}
