#version 450
// Attention backward, step 3 (llm.c attention_backward, last loop, regrouped by output so that
// no two invocations write the same element — no atomics). One invocation per (b, t, h, i):
//   dq[b,t]  += scale · Σ_{t2 ≤ t} dpreatt[b,h,t,t2] · k[b,t2]
//   dk[b,t]  += scale · Σ_{t' ≥ t} dpreatt[b,h,t',t] · q[b,t']
//   dv[b,t]  +=         Σ_{t' ≥ t} att[b,h,t',t]     · dout[b,t']
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Dqkv { float dqkv[]; };
layout(std430, binding = 1) readonly buffer Qkv { float qkv[]; };
layout(std430, binding = 2) readonly buffer Att { float att[]; };
layout(std430, binding = 3) readonly buffer Dpreatt { float dpreatt[]; };
layout(std430, binding = 4) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint B, T, C, NH;
  uint dqkvOff, qkvOff, attOff, dpreattOff, doutOff;
} p;

void main() {
  uint HS = p.C / p.NH;
  float scale = 1.0 / sqrt(float(HS));
  uint C3 = 3 * p.C;
  uint total = p.B * p.T * p.C;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint idx = gl_GlobalInvocationID.x; idx < total; idx += stride) {
    uint c = idx % p.C;
    uint h = c / HS;
    uint bt = idx / p.C;
    uint t = bt % p.T;
    uint b = bt / p.T;
    uint rowBase = (b * p.NH + h) * p.T;  // (b, h, ·) block of att / dpreatt rows
    uint qkvBatch = p.qkvOff + b * p.T * C3;
    float dq = 0.0;
    for (uint t2 = 0; t2 <= t; t2++) {
      dq += dpreatt[p.dpreattOff + (rowBase + t) * p.T + t2] * qkv[qkvBatch + t2 * C3 + p.C + c];
    }
    float dk = 0.0, dv = 0.0;
    for (uint tq = t; tq < p.T; tq++) {
      uint a = (rowBase + tq) * p.T + t;
      dk += dpreatt[p.dpreattOff + a] * qkv[qkvBatch + tq * C3 + c];
      dv += att[p.attOff + a] * dout[p.doutOff + (b * p.T + tq) * p.C + c];
    }
    uint d0 = p.dqkvOff + bt * C3 + c;
    dqkv[d0] += dq * scale;
    dqkv[d0 + p.C] += dk * scale;
    dqkv[d0 + 2 * p.C] += dv;
  }
}
