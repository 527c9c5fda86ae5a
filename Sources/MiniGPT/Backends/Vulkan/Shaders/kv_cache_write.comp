#version 450
// KV cache append (batch 1 decoding): kCache[position+t, :] = k part of qkv[t, :],
// vCache[position+t, :] = v part. One invocation per (t, c); rows past the cache are skipped.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer KCache { float kCache[]; };
layout(std430, binding = 1) writeonly buffer VCache { float vCache[]; };
layout(std430, binding = 2) readonly buffer Qkv { float qkv[]; };
layout(push_constant) uniform Params {
  uint T, C, position, maxT;
  uint kOff, vOff, qkvOff;
} p;

void main() {
  uint total = p.T * p.C;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < total; i += stride) {
    uint c = i % p.C;
    uint t = i / p.C;
    uint row = p.position + t;
    if (row >= p.maxT) continue;
    uint src = p.qkvOff + t * 3 * p.C + c;
    kCache[p.kOff + row * p.C + c] = qkv[src + p.C];
    vCache[p.vOff + row * p.C + c] = qkv[src + 2 * p.C];
  }
}
