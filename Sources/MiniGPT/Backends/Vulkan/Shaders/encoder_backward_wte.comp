#version 450
// dwte[tokens[n], c] += dout[n, c] (llm.c encoder_backward, token half).
// A token may repeat, so rows of dwte collide; one invocation owns one channel c and walks the
// N rows in order: race-free and deterministic without float atomics (not portable in Vulkan).
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Dwte { float dwte[]; };
layout(std430, binding = 1) readonly buffer Tokens { int tokens[]; };
layout(std430, binding = 2) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint N, C, V;
  uint dwteOff, tokensOff, doutOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint c = gl_GlobalInvocationID.x; c < p.C; c += stride) {
    for (uint n = 0; n < p.N; n++) {
      int token = tokens[p.tokensOff + n];
      if (token >= 0 && uint(token) < p.V) {
        dwte[p.dwteOff + uint(token) * p.C + c] += dout[p.doutOff + n * p.C + c];
      }
    }
  }
}
