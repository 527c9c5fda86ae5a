#version 450
// out[b,t,h,:] = Σ_{t2 ≤ position+t} att[b,h,t,t2] · v[b,t2,h,:] (llm.c attention_forward, pass 4),
// heads concatenated into out (B,T,C). Serves full attention (v inside qkv rows of 3C, L = T) and
// KV-cache decoding (v from the cache rows of C, L = maxT). One invocation per output element.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float outv[]; };
layout(std430, binding = 1) readonly buffer Att { float att[]; };
layout(std430, binding = 2) readonly buffer V { float v[]; };
layout(push_constant) uniform Params {
  uint B, T, C, NH, L, position;
  uint vRowStride, vBatchStride;
  uint outOff, attOff, vOff;
} p;

void main() {
  uint HS = p.C / p.NH;
  uint total = p.B * p.T * p.C;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint idx = gl_GlobalInvocationID.x; idx < total; idx += stride) {
    uint c = idx % p.C;
    uint h = c / HS;
    uint bt = idx / p.C;
    uint t = bt % p.T;
    uint b = bt / p.T;
    uint last = min(p.position + t, p.L - 1);
    uint a0 = p.attOff + ((b * p.NH + h) * p.T + t) * p.L;
    uint v0 = p.vOff + b * p.vBatchStride + c;
    float sum = 0.0;
    for (uint t2 = 0; t2 <= last; t2++) sum += att[a0 + t2] * v[v0 + t2 * p.vRowStride];
    outv[p.outOff + idx] = sum;
  }
}
