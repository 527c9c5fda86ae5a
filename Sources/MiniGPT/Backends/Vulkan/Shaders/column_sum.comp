#version 450
// out[n] += Σ_rows inp[row, n] for a (rows, cols) matrix: the bias gradient of a linear layer
// (dbias += Σ_rows dout). One invocation per column walks the rows: coalesced, deterministic.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Out { float outv[]; };
layout(std430, binding = 1) readonly buffer Inp { float inp[]; };
layout(push_constant) uniform Params {
  uint rows, cols;
  uint outOff, inpOff;
} p;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  for (uint n = gl_GlobalInvocationID.x; n < p.cols; n += stride) {
    float sum = 0.0;
    for (uint r = 0; r < p.rows; r++) sum += inp[p.inpOff + r * p.cols + n];
    outv[p.outOff + n] += sum;
  }
}
