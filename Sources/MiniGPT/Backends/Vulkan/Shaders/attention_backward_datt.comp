#version 450
// Attention backward, step 1 (llm.c attention_backward): datt[b,h,t,t2] += v[b,t2,h,:]·dout[b,t,h,:]
// for t2 ≤ t. One invocation per (b, h, t, t2); masked entries are left untouched.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Datt { float datt[]; };
layout(std430, binding = 1) readonly buffer Qkv { float qkv[]; };
layout(std430, binding = 2) readonly buffer Dout { float dout[]; };
layout(push_constant) uniform Params {
  uint B, T, C, NH;
  uint dattOff, qkvOff, doutOff;
} p;

void main() {
  uint HS = p.C / p.NH;
  uint total = p.B * p.NH * p.T * p.T;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint idx = gl_GlobalInvocationID.x; idx < total; idx += stride) {
    uint t2 = idx % p.T;
    uint t = (idx / p.T) % p.T;
    if (t2 > t) continue;
    uint h = (idx / (p.T * p.T)) % p.NH;
    uint b = idx / (p.T * p.T * p.NH);
    uint v0 = p.qkvOff + (b * p.T + t2) * 3 * p.C + 2 * p.C + h * HS;
    uint d0 = p.doutOff + (b * p.T + t) * p.C + h * HS;
    float sum = 0.0;
    for (uint i = 0; i < HS; i++) sum += qkv[v0 + i] * dout[d0 + i];
    datt[p.dattOff + idx] += sum;
  }
}
