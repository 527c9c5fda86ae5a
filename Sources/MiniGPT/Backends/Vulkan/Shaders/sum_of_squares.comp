#version 450
// Σ x² over a tensor, first stage of a two-stage reduction: each workgroup writes the sum of its
// grid-stride share to partials[workgroup]; the host adds the (at most a few hundred) partials in
// double precision. Used for global gradient-norm clipping.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Partials { float partials[]; };
layout(std430, binding = 1) readonly buffer Inp { float inp[]; };
layout(push_constant) uniform Params {
  uint N;
  uint partialsOff, inpOff;
} p;

shared float partial[256];

void main() {
  uint lid = gl_LocalInvocationID.x;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  float sum = 0.0;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    float x = inp[p.inpOff + i];
    sum += x * x;
  }
  partial[lid] = sum;
  barrier();
  for (uint s = 128; s > 0; s >>= 1) {
    if (lid < s) partial[lid] += partial[lid + s];
    barrier();
  }
  if (lid == 0) partials[p.partialsOff + gl_WorkGroupID.x] = partial[0];
}
