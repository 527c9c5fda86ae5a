#version 450
// Fused softmax + cross-entropy backward (llm.c crossentropy_softmax_backward):
// dlogits[n,v] += (probs[n,v] - [v == target[n]]) · dloss. One invocation per element.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Dlogits { float dlogits[]; };
layout(std430, binding = 1) readonly buffer Probs { float probs[]; };
layout(std430, binding = 2) readonly buffer Targets { int targets[]; };
layout(push_constant) uniform Params {
  uint N, V;
  float dloss;
  uint dlogitsOff, probsOff, targetsOff;
} p;

void main() {
  uint total = p.N * p.V;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < total; i += stride) {
    uint v = i % p.V;
    int target = targets[p.targetsOff + i / p.V];
    float indicator = (target >= 0 && uint(target) == v) ? 1.0 : 0.0;
    dlogits[p.dlogitsOff + i] += (probs[p.probsOff + i] - indicator) * p.dloss;
  }
}
