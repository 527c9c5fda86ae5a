#version 450
// Token + position embedding: out[b,t,:] = wte[tokens[b,t],:] + wpe[positionOffset + t,:].
// Reference: llm.c encoder_forward. One invocation per output element, grid-stride loop.
// Buffers are bound whole; p.*Off are element offsets of the tensor views inside them.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float outv[]; };
layout(std430, binding = 1) readonly buffer Tokens { int tokens[]; };
layout(std430, binding = 2) readonly buffer Wte { float wte[]; };
layout(std430, binding = 3) readonly buffer Wpe { float wpe[]; };
layout(push_constant) uniform Params {
  uint B, T, C, V, maxT, positionOffset;
  uint outOff, tokensOff, wteOff, wpeOff;
} p;

void main() {
  uint total = p.B * p.T * p.C;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < total; i += stride) {
    uint c = i % p.C;
    uint bt = i / p.C;
    int token = tokens[p.tokensOff + bt];
    uint pos = p.positionOffset + bt % p.T;
    // Bounds checks: an id or position outside the tables contributes zero, never a stray read.
    float value = 0.0;
    if (token >= 0 && uint(token) < p.V) value += wte[p.wteOff + uint(token) * p.C + c];
    if (pos < p.maxT) value += wpe[p.wpeOff + pos * p.C + c];
    outv[p.outOff + i] = value;
  }
}
