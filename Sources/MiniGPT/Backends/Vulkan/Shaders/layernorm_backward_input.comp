#version 450
// LayerNorm backward, input gradient (llm.c layernorm_backward), one workgroup per row:
// dinp += (w·dout - mean(w·dout) - norm·mean(w·dout·norm)) · rstd, norm = (x - mean)·rstd.
layout(local_size_x = 128) in;
layout(std430, binding = 0) buffer Dinp { float dinp[]; };
layout(std430, binding = 1) readonly buffer Dout { float dout[]; };
layout(std430, binding = 2) readonly buffer Inp { float inp[]; };
layout(std430, binding = 3) readonly buffer Weight { float weight[]; };
layout(std430, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, binding = 5) readonly buffer Rstd { float rstd[]; };
layout(push_constant) uniform Params {
  uint N, C;
  uint dinpOff, doutOff, inpOff, weightOff, meanOff, rstdOff;
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
  barrier();
  return total;
}

void main() {
  uint lid = gl_LocalInvocationID.x;
  for (uint row = gl_WorkGroupID.x; row < p.N; row += gl_NumWorkGroups.x) {
    uint r0 = row * p.C;
    float m = mean[p.meanOff + row];
    float s = rstd[p.rstdOff + row];
    float a = 0.0, b = 0.0;
    for (uint c = lid; c < p.C; c += 128) {
      float norm = (inp[p.inpOff + r0 + c] - m) * s;
      float dnorm = weight[p.weightOff + c] * dout[p.doutOff + r0 + c];
      a += dnorm;
      b += dnorm * norm;
    }
    float dnormMean = workgroupSum(a) / float(p.C);
    float dnormNormMean = workgroupSum(b) / float(p.C);
    for (uint c = lid; c < p.C; c += 128) {
      float norm = (inp[p.inpOff + r0 + c] - m) * s;
      float dnorm = weight[p.weightOff + c] * dout[p.doutOff + r0 + c];
      dinp[p.dinpOff + r0 + c] += (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
  }
}
