// CPU residual connection (llm.c residual_forward / residual_backward): SIMD adds split over
// cores. Memory bound: 12 bytes per element forward.

extension CPUBackend {
  public func residualForward(out: Tensor, a: Tensor, b: Tensor, N: Int) {
    requireCount(out, N, "residualForward out")
    requireCount(a, N, "residualForward a")
    requireCount(b, N, "residualForward b")
    let o = out.hostPointer, ap = a.hostPointer, bp = b.hostPointer
    parallelFor(N, grain: 1 << 15) { r in
      add(ap + r.lowerBound, bp + r.lowerBound, into: o + r.lowerBound, count: r.count)
    }
  }

  public func residualBackward(da: Tensor, db: Tensor, dout: Tensor, N: Int) {
    requireCount(da, N, "residualBackward da")
    requireCount(db, N, "residualBackward db")
    requireCount(dout, N, "residualBackward dout")
    let dap = da.hostPointer, dbp = db.hostPointer, dy = dout.hostPointer
    parallelFor(N, grain: 1 << 15) { r in
      accumulate(dy + r.lowerBound, into: dap + r.lowerBound, count: r.count)
      accumulate(dy + r.lowerBound, into: dbp + r.lowerBound, count: r.count)
    }
  }
}
