// Reference residual connection (He et al. 2016; llm.c residual_forward / residual_backward):
// out = a + b, and the gradient flows unchanged into both branches.

extension ReferenceBackend {
  public func residualForward(out: Tensor, a: Tensor, b: Tensor, N: Int) {
    requireCount(out, N, "residualForward out")
    requireCount(a, N, "residualForward a")
    requireCount(b, N, "residualForward b")
    let o = out.hostPointer, ap = a.hostPointer, bp = b.hostPointer
    for i in 0..<N { o[i] = ap[i] + bp[i] }
  }

  public func residualBackward(da: Tensor, db: Tensor, dout: Tensor, N: Int) {
    requireCount(da, N, "residualBackward da")
    requireCount(db, N, "residualBackward db")
    requireCount(dout, N, "residualBackward dout")
    let dap = da.hostPointer, dbp = db.hostPointer, dy = dout.hostPointer
    for i in 0..<N {
      dap[i] += dy[i]
      dbp[i] += dy[i]
    }
  }
}
