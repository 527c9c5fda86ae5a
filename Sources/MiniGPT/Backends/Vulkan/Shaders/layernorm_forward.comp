#version 450
// LayerNorm forward (torch.nn.LayerNorm, eps 1e-5, biased variance; llm.c layernorm_forward).
// One workgroup per row: two shared-memory reductions (mean, then variance about the mean,
// which is more accurate than E[x²] - E[x]²), then the normalised, scaled and shifted row.
layout(local_size_x = 128) in;
layout(std430, binding = 0) writeonly buffer Out { float outv[]; };
layout(std430, binding = 1) writeonly buffer Mean { float mean[]; };
layout(std430, binding = 2) writeonly buffer Rstd { float rstd[]; };
layout(std430, binding = 3) readonly buffer Inp { float inp[]; };
layout(std430, binding = 4) readonly buffer Weight { float weight[]; };
layout(std430, binding = 5) readonly buffer Bias { float bias[]; };
layout(push_constant) uniform Params {
  uint N, C;
  uint outOff, meanOff, rstdOff, inpOff, weightOff, biasOff;
} p;

shared float partial[128];

float workgroupSum(float value) {
  uint lid = gl_LocalInvocationID.x;
  partial[lid] = value;
  barrier();
  for (uint s = 64; s > 0; s >>= 1) {
    if (lid < s) partial[lid] += partial[lid + s];
    barrier();
  }
  float total = partial[0];
  barrier();  // everyone has read partial[0] before it is reused
  return total;
}

void main() {
  uint lid = gl_LocalInvocationID.x;
  // The row loop is uniform across the workgroup, so the barriers inside are legal.
  for (uint row = gl_WorkGroupID.x; row < p.N; row += gl_NumWorkGroups.x) {
    uint x0 = p.inpOff + row * p.C;
    float sum = 0.0;
    for (uint c = lid; c < p.C; c += 128) sum += inp[x0 + c];
    float m = workgroupSum(sum) / float(p.C);
    float sq = 0.0;
    for (uint c = lid; c < p.C; c += 128) {
      float d = inp[x0 + c] - m;
      sq += d * d;
    }
    float s = 1.0 / sqrt(workgroupSum(sq) / float(p.C) + 1e-5);
    for (uint c = lid; c < p.C; c += 128) {
      float n = (inp[x0 + c] - m) * s;
      outv[p.outOff + row * p.C + c] = n * weight[p.weightOff + c] + bias[p.biasOff + c];
    }
    if (lid == 0) {
      mean[p.meanOff + row] = m;
      rstd[p.rstdOff + row] = s;
    }
  }
}
