// The backend contract: the kernels GPT-2's forward pass, backward pass, AdamW and KV-cache
// decoding need — llm.c's list (train_gpt2.c). Every backend (Reference = naive loops and test
// oracle, CPU = BLAS + SIMD, Vulkan = compute shaders) implements exactly these, with the same
// names. Kernels write into tensors the caller allocated; none allocates in the step loop.
//
// Legend: B batch, T time (sequence), C channels, NH heads, HS = C / NH head size, V vocabulary,
// N = B·T rows, OC output channels. Matrices are row-major. Linear weights are stored as
// PyTorch's nn.Linear does, (OC, C): out = inp · weightᵀ + bias.
//
// Gradient convention (as llm.c): every backward kernel ACCUMULATES (+=) into its gradient
// outputs; callers zero the gradient buffers before a backward pass.

public enum BackendKind: String, CaseIterable, Sendable, Codable {
  case reference, cpu, vulkan
}

public protocol Backend: AnyObject {
  var kind: BackendKind { get }
  /// Human-readable device, e.g. "CPU (OpenBLAS, 2 threads)" or "NVIDIA H100 (Vulkan 1.3)".
  var deviceName: String { get }

  // MARK: Memory
  /// A zero-filled storage of `count` floats. Throws when the device is out of memory.
  func makeStorage(count: Int) throws -> any Storage
  /// Host → tensor. `values.count == tensor.count`.
  func write(_ values: [Float], to tensor: Tensor)
  /// Tensor → host. Waits for queued work.
  func read(_ tensor: Tensor) -> [Float]
  func fill(_ tensor: Tensor, with value: Float)
  /// Element-wise copy between tensors of equal count.
  func copy(_ source: Tensor, to destination: Tensor)
  /// Waits until every queued kernel has finished (GPU); no-op on the CPU backends.
  func synchronize()

  // MARK: Encoder — out[b,t,:] = wte[tokens[b,t],:] + wpe[positionOffset + t,:]
  /// out (B,T,C), wte (V,C), wpe (maxT,C). Token ids are validated by the caller (< V).
  func encoderForward(out: Tensor, tokens: [Int32], wte: Tensor, wpe: Tensor, B: Int, T: Int, C: Int, positionOffset: Int)
  /// dwte (V,C) += scatter of dout rows; dwpe (maxT,C) += sum over batch.
  func encoderBackward(dwte: Tensor, dwpe: Tensor, dout: Tensor, tokens: [Int32], B: Int, T: Int, C: Int)

  // MARK: LayerNorm (eps 1e-5, biased variance, as torch.nn.LayerNorm)
  /// out (N,C), mean (N), rstd (N), inp (N,C), weight (C), bias (C).
  func layerNormForward(out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor, N: Int, C: Int)
  func layerNormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor, inp: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor, N: Int,
    C: Int)

  // MARK: Matmul — out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC)
  func matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int)
  /// dinp (N,C) += dout·weight; dweight (OC,C) += doutᵀ·inp; dbias (OC) += Σ_rows dout.
  func matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor, N: Int, C: Int, OC: Int)

  // MARK: Causal self-attention
  /// qkv (B,T,3C) holds q | k | v, each split into NH heads of HS channels.
  /// preatt (B,NH,T,T) = q·kᵀ/√HS with masked (future) entries = -∞;
  /// att (B,NH,T,T) = softmax(preatt) with masked entries = 0; out (B,T,C) = att·v, heads concatenated.
  func attentionForward(out: Tensor, preatt: Tensor, att: Tensor, qkv: Tensor, B: Int, T: Int, C: Int, NH: Int)
  /// dqkv (B,T,3C) +=; dpreatt, datt (B,NH,T,T) are scratch (accumulated into, then read).
  func attentionBackward(
    dqkv: Tensor, dpreatt: Tensor, datt: Tensor, dout: Tensor, qkv: Tensor, att: Tensor, B: Int, T: Int, C: Int, NH: Int)

  // MARK: GELU, tanh approximation (GPT-2's "gelu_new")
  func geluForward(out: Tensor, inp: Tensor, N: Int)
  func geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: Int)

  // MARK: Residual — out = a + b
  func residualForward(out: Tensor, a: Tensor, b: Tensor, N: Int)
  /// da += dout; db += dout.
  func residualBackward(da: Tensor, db: Tensor, dout: Tensor, N: Int)

  // MARK: Softmax + cross-entropy
  /// probs (N,V) = softmax(logits (N,V)); losses (N) = -log probs[target] when targets are given.
  func softmaxCrossEntropyForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: [Int32]?, N: Int, V: Int)
  /// dlogits (N,V) += (probs - onehot(target)) · dloss, where dloss = 1/N for a mean loss.
  func softmaxCrossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: [Int32], dloss: Float, N: Int, V: Int)

  // MARK: Optimizer
  /// Σ x² over the tensor (for global gradient-norm clipping). Waits for queued work.
  func sumOfSquares(_ tensor: Tensor) -> Float
  /// AdamW (Loshchilov & Hutter; torch.optim.AdamW) on one parameter tensor, step t ≥ 1:
  /// g = grads·gradScale; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
  /// m̂ = m/(1-β1ᵗ); v̂ = v/(1-β2ᵗ); p -= lr·(m̂/(√v̂ + eps) + weightDecay·p).
  func adamWUpdate(
    params: Tensor, grads: Tensor, m: Tensor, v: Tensor, count: Int, learningRate: Float,
    beta1: Float, beta2: Float, eps: Float, weightDecay: Float, gradScale: Float, step t: Int)

  // MARK: KV cache (batch 1 decoding)
  /// Appends the k and v rows of qkv (T,3C) into kCache, vCache (maxT,C) at rows position..<position+T.
  func kvCacheWrite(kCache: Tensor, vCache: Tensor, qkv: Tensor, T: Int, C: Int, position: Int)
  /// For each of the T new rows (absolute position p = position+t), q from qkv (T,3C) attends to
  /// cache rows 0...p. att (NH,T,maxT): softmax weights for columns 0...p, 0 elsewhere.
  /// out (T,C) = Σ att·v, heads concatenated.
  func attentionCachedForward(
    out: Tensor, att: Tensor, qkv: Tensor, kCache: Tensor, vCache: Tensor,
    T: Int, C: Int, NH: Int, position: Int, maxT: Int)
}

extension Backend {
  /// A zero-filled tensor of the given shape in a storage of its own.
  public func makeTensor(_ shape: [Int]) throws -> Tensor {
    Tensor(storage: try makeStorage(count: shape.reduce(1, *)), shape: shape)
  }
  public func makeTensor(_ values: [Float], shape: [Int]) throws -> Tensor {
    let t = try makeTensor(shape)
    write(values, to: t)
    return t
  }
}
