#version 450
// Attention backward, step 2: softmax backward per (b, h, t) row, one workgroup each.
// llm.c's double loop Σ_t2 att[t2]·(δ(t2,t3) - att[t3])·datt[t2] simplifies to
// dpreatt[t3] += att[t3]·(datt[t3] - Σ_t2 att[t2]·datt[t2]) for t3 ≤ t.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Dpreatt { float dpreatt[]; };
layout(std430, binding = 1) readonly buffer Att { float att[]; };
layout(std430, binding = 2) readonly buffer Datt { float datt[]; };
layout(push_constant) uniform Params {
  uint B, T, NH;
  uint dpreattOff, attOff, dattOff;
} p;

shared float partial[64];

float workgroupSum(float value) {
  uint lid = gl_LocalInvocationID.x;
  partial[lid] = value;
  barrier();
  for (uint s = 32; s > 0; s >>= 1) {
    if (lid < s) partial[lid] += partial[lid + s];
    barrier();
  }
  float total = partial[0];
  barrier();
  return total;
}

void main() {
  uint lid = gl_LocalInvocationID.x;
  uint rows = p.B * p.NH * p.T;
  for (uint row = gl_WorkGroupID.x; row < rows; row += gl_NumWorkGroups.x) {
    uint t = row % p.T;
    uint r0 = row * p.T;
    float local = 0.0;
    for (uint t2 = lid; t2 <= t; t2 += 64) local += att[p.attOff + r0 + t2] * datt[p.dattOff + r0 + t2];
    float dot = workgroupSum(local);
    for (uint t3 = lid; t3 <= t; t3 += 64) {
      float a = att[p.attOff + r0 + t3];
      dpreatt[p.dpreattOff + r0 + t3] += a * (datt[p.dattOff + r0 + t3] - dot);
    }
  }
}
