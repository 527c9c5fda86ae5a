#version 450
// Residual connection: out = a + b, element-wise (llm.c residual_forward).
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float outv[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(push_constant) uniform Params {
  uint N;
  uint outOff, aOff, bOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    outv[p.outOff + i] = a[p.aOff + i] + b[p.bOff + i];
  }
}
