#version 450
// Softmax over each row of logits (N,V) and, with targets, the cross-entropy loss
// losses[n] = -log probs[n, target] (llm.c softmax_forward + crossentropy_forward), one
// workgroup per row. The loss is computed as log Σexp - (x_target - max): the same value as
// -log(probs[target]) without rounding the probability first.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Losses { float losses[]; };
layout(std430, binding = 1) writeonly buffer Probs { float probs[]; };
layout(std430, binding = 2) readonly buffer Logits { float logits[]; };
layout(std430, binding = 3) readonly buffer Targets { int targets[]; };
layout(push_constant) uniform Params {
  uint N, V, hasTargets;
  uint lossesOff, probsOff, logitsOff, targetsOff;
} p;

shared float partial[256];

float workgroupReduce(float value, bool takeMax) {
  uint lid = gl_LocalInvocationID.x;
  partial[lid] = value;
  barrier();
  for (uint s = 128; s > 0; s >>= 1) {
    if (lid < s) {
      partial[lid] = takeMax ? max(partial[lid], partial[lid + s]) : partial[lid] + partial[lid + s];
    }
    barrier();
  }
  float total = partial[0];
  barrier();
  return total;
}

void main() {
  uint lid = gl_LocalInvocationID.x;
  for (uint row = gl_WorkGroupID.x; row < p.N; row += gl_NumWorkGroups.x) {
    uint x0 = p.logitsOff + row * p.V;
    float localMax = uintBitsToFloat(0xff800000u);
    for (uint v = lid; v < p.V; v += 256) localMax = max(localMax, logits[x0 + v]);
    float rowMax = workgroupReduce(localMax, true);
    float localSum = 0.0;
    for (uint v = lid; v < p.V; v += 256) localSum += exp(logits[x0 + v] - rowMax);
    float sum = workgroupReduce(localSum, false);
    float inv = 1.0 / sum;
    for (uint v = lid; v < p.V; v += 256) probs[p.probsOff + row * p.V + v] = exp(logits[x0 + v] - rowMax) * inv;
    if (p.hasTargets != 0u && lid == 0) {
      int target = targets[p.targetsOff + row];
      float loss = uintBitsToFloat(0x7fc00000u);  // NaN flags an id the caller failed to validate
      if (target >= 0 && uint(target) < p.V) loss = log(sum) - (logits[x0 + uint(target)] - rowMax);
      losses[p.lossesOff + row] = loss;
    }
  }
}
