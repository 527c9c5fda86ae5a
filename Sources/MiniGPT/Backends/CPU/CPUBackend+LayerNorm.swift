// CPU LayerNorm (Ba et al. 2016; torch.nn.LayerNorm, eps 1e-5), llm.c's algorithm with SIMD16
// rows split over cores. Two-pass mean/variance in Float (the reference sums in Double).
// The backward's dweight/dbias are sums over rows, so they run in a second pass split by
// channel blocks: no two chunks write the same element, and the sum order never depends on
// the thread count.

extension CPUBackend {
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
    parallelFor(N, grain: max(1, 8192 / max(C, 1))) { rows in
      for n in rows {
        let row = x + n * C, outRow = o + n * C
        var acc = Vec16()
        var c = 0
        while c + 16 <= C {
          acc += load(row + c)
          c += 16
        }
        var sum = acc.sum()
        while c < C {
          sum += row[c]
          c += 1
        }
        let m = sum / Float(C)
        acc = Vec16()
        c = 0
        while c + 16 <= C {
          let d = load(row + c) - m
          acc += d * d
          c += 16
        }
        var sq = acc.sum()
        while c < C {
          sq += (row[c] - m) * (row[c] - m)
          c += 1
        }
        let s = 1 / (sq / Float(C) + 1e-5).squareRoot()
        c = 0
        while c + 16 <= C {
          store((load(row + c) - m) * s * load(w + c) + load(bb + c), outRow + c)
          c += 16
        }
        while c < C {
          outRow[c] = (row[c] - m) * s * w[c] + bb[c]
          c += 1
        }
        mp[n] = m
        rp[n] = s
      }
    }
  }

  /// dinp += rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = weight·dout, x̂ = (x − mean)·rstd;
  /// dweight += Σ_rows dout·x̂; dbias += Σ_rows dout.
  public func layerNormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor, inp: Tensor, weight: Tensor,
    mean: Tensor, rstd: Tensor, N: Int, C: Int
  ) {
    requireCount(dinp, N * C, "layerNormBackward dinp")
    requireCount(dout, N * C, "layerNormBackward dout")
    requireCount(inp, N * C, "layerNormBackward inp")
    requireCount(dweight, C, "layerNormBackward dweight")
    requireCount(dbias, C, "layerNormBackward dbias")
    requireCount(mean, N, "layerNormBackward mean")
    requireCount(rstd, N, "layerNormBackward rstd")
    let dx = dinp.hostPointer, dw = dweight.hostPointer, db = dbias.hostPointer
    let dy = dout.hostPointer, x = inp.hostPointer, w = weight.hostPointer
    let mp = mean.hostPointer, rp = rstd.hostPointer
    parallelFor(N, grain: max(1, 8192 / max(C, 1))) { rows in
      for n in rows {
        let m = mp[n], s = rp[n]
        let xRow = x + n * C, dyRow = dy + n * C, dxRow = dx + n * C
        var gAcc = Vec16(), gxAcc = Vec16()
        var c = 0
        while c + 16 <= C {
          let g = load(w + c) * load(dyRow + c)
          gAcc += g
          gxAcc += g * ((load(xRow + c) - m) * s)
          c += 16
        }
        var gSum = gAcc.sum(), gxSum = gxAcc.sum()
        while c < C {
          let g = w[c] * dyRow[c]
          gSum += g
          gxSum += g * ((xRow[c] - m) * s)
          c += 1
        }
        let gMean = gSum / Float(C), gxMean = gxSum / Float(C)
        c = 0
        while c + 16 <= C {
          let xhat = (load(xRow + c) - m) * s
          let g = load(w + c) * load(dyRow + c)
          store(load(dxRow + c) + (g - gMean - xhat * gxMean) * s, dxRow + c)
          c += 16
        }
        while c < C {
          let xhat = (xRow[c] - m) * s
          dxRow[c] += (w[c] * dyRow[c] - gMean - xhat * gxMean) * s
          c += 1
        }
      }
    }
    let blocks = (C + 15) / 16
    parallelFor(blocks, grain: 1) { blockRange in
      let c0 = blockRange.lowerBound * 16, c1 = min(blockRange.upperBound * 16, C)
      for n in 0..<N {
        let m = mp[n], s = rp[n]
        let xRow = x + n * C, dyRow = dy + n * C
        var c = c0
        while c + 16 <= c1 {
          let d = load(dyRow + c)
          store(load(db + c) + d, db + c)
          store(load(dw + c) + d * ((load(xRow + c) - m) * s), dw + c)
          c += 16
        }
        while c < c1 {
          db[c] += dyRow[c]
          dw[c] += dyRow[c] * ((xRow[c] - m) * s)
          c += 1
        }
      }
    }
  }
}
