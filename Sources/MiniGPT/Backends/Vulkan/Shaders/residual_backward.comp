#version 450
// Residual backward: da += dout; db += dout (llm.c residual_backward). The two gradients may be
// the same memory; the blocks are not declared restrict, so the two updates stay in order.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Da { float da[]; };
layout(std430, binding = 1) buffer Db { float db[]; };
layout(std430, binding = 2) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint N;
  uint daOff, dbOff, doutOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    float g = dout[p.doutOff + i];
    da[p.daOff + i] += g;
    db[p.dbOff + i] += g;
  }
}
