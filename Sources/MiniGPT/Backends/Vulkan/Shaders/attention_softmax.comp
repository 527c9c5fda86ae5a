#version 450
// Causal attention scores and softmax, one workgroup per (b, h, t) row (llm.c
// attention_forward, passes 1–2). Used by full attention (L = T, keys from qkv) and by KV-cache
// decoding (L = maxT, keys from the cache, query t at absolute position position + t).
// preatt[t2] = q·k[t2]/√HS for t2 ≤ position + t, -∞ after (written only when hasPreatt);
// att[t2] = softmax(preatt)[t2], 0 for masked columns.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Att { float att[]; };
layout(std430, binding = 1) writeonly buffer Preatt { float preatt[]; };
layout(std430, binding = 2) readonly buffer Q { float q[]; };
layout(std430, binding = 3) readonly buffer K { float k[]; };
layout(push_constant) uniform Params {
  uint B, T, NH, HS, L, position, hasPreatt;
  uint qRowStride, kRowStride, kBatchStride;
  uint attOff, preattOff, qOff, kOff;
} p;

shared float partial[64];

float workgroupReduce(float value, bool takeMax) {
  uint lid = gl_LocalInvocationID.x;
  partial[lid] = value;
  barrier();
  for (uint s = 32; s > 0; s >>= 1) {
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
  float negInf = uintBitsToFloat(0xff800000u);
  float scale = 1.0 / sqrt(float(p.HS));
  uint rows = p.B * p.NH * p.T;
  for (uint row = gl_WorkGroupID.x; row < rows; row += gl_NumWorkGroups.x) {
    uint t = row % p.T;
    uint h = (row / p.T) % p.NH;
    uint b = row / (p.T * p.NH);
    uint last = min(p.position + t, p.L - 1);  // last visible column (bounds-checked)
    uint q0 = p.qOff + (b * p.T + t) * p.qRowStride + h * p.HS;
    uint k0 = p.kOff + b * p.kBatchStride + h * p.HS;
    uint a0 = row * p.L;

    float localMax = negInf;
    for (uint t2 = lid; t2 <= last; t2 += 64) {
      float dot = 0.0;
      for (uint i = 0; i < p.HS; i++) dot += q[q0 + i] * k[k0 + t2 * p.kRowStride + i];
      dot *= scale;
      // att holds the raw score until the max is known; this invocation rereads its own write.
      att[p.attOff + a0 + t2] = dot;
      if (p.hasPreatt != 0u) preatt[p.preattOff + a0 + t2] = dot;
      localMax = max(localMax, dot);
    }
    float rowMax = workgroupReduce(localMax, true);
    float localSum = 0.0;
    for (uint t2 = lid; t2 <= last; t2 += 64) {
      float e = exp(att[p.attOff + a0 + t2] - rowMax);
      att[p.attOff + a0 + t2] = e;
      localSum += e;
    }
    float inv = 1.0 / workgroupReduce(localSum, false);
    for (uint t2 = lid; t2 < p.L; t2 += 64) {
      if (t2 <= last) {
        att[p.attOff + a0 + t2] *= inv;
      } else {
        att[p.attOff + a0 + t2] = 0.0;
        if (p.hasPreatt != 0u) preatt[p.preattOff + a0 + t2] = negInf;
      }
    }
  }
}
