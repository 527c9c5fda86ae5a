// Reference LayerNorm (Ba et al. 2016; torch.nn.LayerNorm, eps 1e-5, biased variance), as
// llm.c layernorm_forward / layernorm_backward. Means and variances are summed in Double.

extension ReferenceBackend {
  public func layerNormForward(
    out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor,
    N: Int, C: Int
  ) {
    requireCount(out, N * C, "layerNormForward out")
    requireCount(inp, N * C, "layerNormForward inp")
    requireCount(mean, N, "layerNormForward mean")
    requireCount(rstd, N, "layerNormForward rstd")
    requireCount(weight, C, "layerNormForward weight")
    requireCount(bias, C, "layerNormForward bias")
    let o = out.hostPointer, x = inp.hostPointer, w = weight.hostPointer, bb = bias.hostPointer
    let mp = mean.hostPointer, rp = rstd.hostPointer
    for n in 0..<N {
      let row = x + n * C
      var sum = 0.0
      for c in 0..<C { sum += Double(row[c]) }
      let m = sum / Double(C)
      var sq = 0.0
      for c in 0..<C {
        let d = Double(row[c]) - m
        sq += d * d
      }
      let s = 1 / (sq / Double(C) + 1e-5).squareRoot()
      for c in 0..<C {
        o[n * C + c] = Float((Double(row[c]) - m) * s * Double(w[c]) + Double(bb[c]))
      }
      mp[n] = Float(m)
      rp[n] = Float(s)
    }
  }

  /// With x̂ = (x − mean)·rstd and g = weight·dout:
  /// dinp = rstd · (g − mean(g) − x̂·mean(g·x̂)); dweight += Σ dout·x̂; dbias += Σ dout.
  public func layerNormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor, inp: Tensor, weight: Tensor,
    mean: Tensor, rstd: Tensor, N: Int, C: Int
  ) {
    for (t, name) in [(dinp, "dinp"), (dout, "dout"), (inp, "inp")] {
      precondition(t.count == N * C, "layerNormBackward \(name): expected \(N * C), got \(t.shape)")
    }
    requireCount(dweight, C, "layerNormBackward dweight")
    requireCount(dbias, C, "layerNormBackward dbias")
    requireCount(mean, N, "layerNormBackward mean")
    requireCount(rstd, N, "layerNormBackward rstd")
    let dx = dinp.hostPointer, dw = dweight.hostPointer, db = dbias.hostPointer
    let dy = dout.hostPointer, x = inp.hostPointer, w = weight.hostPointer
    let mp = mean.hostPointer, rp = rstd.hostPointer
    for n in 0..<N {
      let m = Double(mp[n]), s = Double(rp[n])
      var gMean = 0.0, gxMean = 0.0
      for c in 0..<C {
        let xhat = (Double(x[n * C + c]) - m) * s
        let g = Double(w[c]) * Double(dy[n * C + c])
        gMean += g
        gxMean += g * xhat
      }
      gMean /= Double(C)
      gxMean /= Double(C)
      for c in 0..<C {
        let i = n * C + c
        let xhat = (Double(x[i]) - m) * s
        let g = Double(w[c]) * Double(dy[i])
        db[c] += dy[i]
        dw[c] += Float(xhat * Double(dy[i]))
        dx[i] += Float((g - gMean - xhat * gxMean) * s)
      }
    }
  }
}
