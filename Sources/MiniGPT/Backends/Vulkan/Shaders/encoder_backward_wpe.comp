#version 450
// dwpe[t, c] += Σ_b dout[b, t, c] (llm.c encoder_backward, position half). One invocation per
// (t, c); positions start at 0 as in training.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Dwpe { float dwpe[]; };
layout(std430, binding = 1) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint B, T, C;
  uint dwpeOff, doutOff;
} p;

void main() {
  uint total = p.T * p.C;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < total; i += stride) {
    float sum = 0.0;
    for (uint b = 0; b < p.B; b++) sum += dout[p.doutOff + b * total + i];
    dwpe[p.dwpeOff + i] += sum;
  }
}
