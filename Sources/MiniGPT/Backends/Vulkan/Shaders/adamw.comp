#version 450
// AdamW update on one parameter tensor (Loshchilov & Hutter 2019; torch.optim.AdamW; llm.c
// adamw_kernel). The bias corrections 1-β1ᵗ, 1-β2ᵗ come precomputed from the host in double.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Weights { float params[]; };
layout(std430, binding = 1) buffer M { float m[]; };
layout(std430, binding = 2) buffer V { float v[]; };
layout(std430, binding = 3) readonly buffer Grads { float grads[]; };
layout(push_constant) uniform Params {
  uint N;
  float learningRate, beta1, beta2, eps, weightDecay, gradScale;
  float beta1Correction, beta2Correction;
  uint paramsOff, mOff, vOff, gradsOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint i = gl_GlobalInvocationID.x; i < p.N; i += stride) {
    float g = grads[p.gradsOff + i] * p.gradScale;
    float mi = p.beta1 * m[p.mOff + i] + (1.0 - p.beta1) * g;
    float vi = p.beta2 * v[p.vOff + i] + (1.0 - p.beta2) * g * g;
    m[p.mOff + i] = mi;
    v[p.vOff + i] = vi;
    float mHat = mi / p.beta1Correction;
    float vHat = vi / p.beta2Correction;
    float w = params[p.paramsOff + i];
    params[p.paramsOff + i] = w - p.learningRate * (mHat / (sqrt(vHat) + p.eps) + p.weightDecay * w);
  }
}
