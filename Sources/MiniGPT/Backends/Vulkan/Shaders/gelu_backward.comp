#version 450
// GELU backward (llm.c gelu_backward): dinp += dout · d/dx[½·x·(1 + tanh(u))],
// u = √(2/π)·(x + 0.044715·x³); sech²(u) is computed as 1 - tanh²(u) (cosh overflows).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Dinp { float dinp[]; };
layout(std430, binding = 1) readonly buffer Inp { float inp[]; };
layout(std430, binding = 2) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint N;
  uint dinpOff, inpOff, doutOff;
} p;

const float SCALE = 0.7978845608028654;  // √(2/π)

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    float x = inp[p.inpOff + i];
    float th = tanh(clamp(SCALE * (x + 0.044715 * x * x * x), -10.0, 10.0));
    float sech2 = 1.0 - th * th;
    float local = 0.5 * (1.0 + th) + x * 0.5 * sech2 * SCALE * (1.0 + 3.0 * 0.044715 * x * x);
    dinp[p.dinpOff + i] += local * dout[p.doutOff + i];
  }
}
