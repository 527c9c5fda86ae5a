#version 450
// GELU, tanh approximation (GPT-2's gelu_new; Hendrycks & Gimpel 2016; llm.c gelu_forward):
// out = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float outv[]; };
layout(std430, binding = 1) readonly buffer Inp { float inp[]; };
layout(push_constant) uniform Params {
  uint N;
  uint outOff, inpOff;
} p;

const float SCALE = 0.7978845608028654;  // √(2/π)

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    float x = inp[p.inpOff + i];
    // tanh saturates to ±1 in float well before |u| = 10; clamping keeps drivers that compute
    // tanh through exp from producing inf/inf = NaN for large inputs.
    float u = clamp(SCALE * (x + 0.044715 * x * x * x), -10.0, 10.0);
    outv[p.outOff + i] = 0.5 * x * (1.0 + tanh(u));
  }
}
