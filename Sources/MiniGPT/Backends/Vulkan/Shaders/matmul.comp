#version 450
// Tiled, register-blocked SGEMM with arbitrary strides: C[m,n] (+)= Σ_k A[m,k]·B[k,n] (+ bias[n]).
// One shader serves all three products of a linear layer: out = inp·Wᵀ + bias, dinp += dout·W
// and dW += doutᵀ·inp (the strides say which operand is transposed).
// A 16×16 workgroup computes a 64×64 tile of C, each invocation a 4×4 block of it held in
// registers, from 16-deep slices of A and B staged in shared memory (Volkov & Demmel 2008; the
// scheme of llm.c's and CUTLASS's SIMT kernels). Every global load and store is bounds-checked.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) buffer COut { float c[]; };
layout(std430, binding = 1) readonly buffer AIn { float a[]; };
layout(std430, binding = 2) readonly buffer BIn { float b[]; };
layout(std430, binding = 3) readonly buffer BiasIn { float bias[]; };
layout(push_constant) uniform Params {
  uint M, N, K;
  uint aStrideM, aStrideK, bStrideK, bStrideN, ldc;
  uint flags;  // bit 0: accumulate into C (backward); bit 1: add bias[n]
  uint cOff, aOff, bOff, biasOff;
} p;

const uint BM = 64, BN = 64, BK = 16, TM = 4, TN = 4, THREADS = 256;
// +1 padding: the column-wise stores of a K-contiguous operand then hit distinct banks.
shared float As[BK][BM + 1];
shared float Bs[BK][BN + 1];

void main() {
  uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
  uint tid = gl_LocalInvocationIndex;
  uint row0 = gl_WorkGroupID.y * BM, col0 = gl_WorkGroupID.x * BN;
  // Which index runs fastest when filling the tiles: the operand's contiguous one, so that
  // neighbouring invocations read neighbouring addresses (coalesced).
  bool aKFastest = p.aStrideK == 1;
  bool bKFastest = p.bStrideK == 1;

  float acc[TM][TN];
  for (uint i = 0; i < TM; i++)
    for (uint j = 0; j < TN; j++) acc[i][j] = 0.0;

  for (uint k0 = 0; k0 < p.K; k0 += BK) {
    for (uint e = tid; e < BM * BK; e += THREADS) {
      uint mm = aKFastest ? e / BK : e % BM;
      uint kk = aKFastest ? e % BK : e / BM;
      uint gm = row0 + mm, gk = k0 + kk;
      float value = 0.0;
      if (gm < p.M && gk < p.K) value = a[p.aOff + gm * p.aStrideM + gk * p.aStrideK];
      As[kk][mm] = value;
    }
    for (uint e = tid; e < BN * BK; e += THREADS) {
      uint nn = bKFastest ? e / BK : e % BN;
      uint kk = bKFastest ? e % BK : e / BN;
      uint gn = col0 + nn, gk = k0 + kk;
      float value = 0.0;
      if (gn < p.N && gk < p.K) value = b[p.bOff + gk * p.bStrideK + gn * p.bStrideN];
      Bs[kk][nn] = value;
    }
    barrier();
    for (uint kk = 0; kk < BK; kk++) {
      float av[TM], bv[TN];
      // Strided ownership (ty + 16i, tx + 16j): shared reads are broadcast or consecutive.
      for (uint i = 0; i < TM; i++) av[i] = As[kk][ty + 16 * i];
      for (uint j = 0; j < TN; j++) bv[j] = Bs[kk][tx + 16 * j];
      for (uint i = 0; i < TM; i++)
        for (uint j = 0; j < TN; j++) acc[i][j] += av[i] * bv[j];
    }
    barrier();
  }

  bool accumulate = (p.flags & 1u) != 0u;
  bool addBias = (p.flags & 2u) != 0u;
  for (uint i = 0; i < TM; i++) {
    uint gm = row0 + ty + 16 * i;
    if (gm >= p.M) continue;
    for (uint j = 0; j < TN; j++) {
      uint gn = col0 + tx + 16 * j;
      if (gn >= p.N) continue;
      float value = acc[i][j];
      if (addBias) value += bias[p.biasOff + gn];
      uint index = p.cOff + gm * p.ldc + gn;
      if (accumulate) value += c[index];
      c[index] = value;
    }
  }
}
