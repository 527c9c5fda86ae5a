#version 450
// LayerNorm backward, parameter gradients (llm.c layernorm_backward):
// dweight[c] += Σ_rows norm·dout, dbias[c] += Σ_rows dout. One invocation per channel walks the
// rows (coalesced across invocations): no atomics, deterministic.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Dweight { float dweight[]; };
layout(std430, binding = 1) buffer Dbias { float dbias[]; };
layout(std430, binding = 2) readonly buffer Dout { float dout[]; };
layout(std430, binding = 3) readonly buffer Inp { float inp[]; };
layout(std430, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, binding = 5) readonly buffer Rstd { float rstd[]; };
layout(push_constant) uniform Params {
  uint N, C;
  uint dweightOff, dbiasOff, doutOff, inpOff, meanOff, rstdOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint c = gl_GlobalInvocationID.x; c < p.C; c += stride) {
    float dw = 0.0, db = 0.0;
    for (uint row = 0; row < p.N; row++) {
      float g = dout[p.doutOff + row * p.C + c];
      float norm = (inp[p.inpOff + row * p.C + c] - mean[p.meanOff + row]) * rstd[p.rstdOff + row];
      dw += norm * g;
      db += g;
    }
    dweight[p.dweightOff + c] += dw;
    dbias[p.dbiasOff + c] += db;
  }
}
