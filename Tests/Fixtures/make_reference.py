#!/usr/bin/env python3
"""Writes the PyTorch / Hugging Face reference fixtures the Swift tests compare against.

Run (CPU, single thread, deterministic; output is committed so tests need no Python):
    $HOME/.cache/minigpt-bench-venv/bin/python Tests/Fixtures/make_reference.py
Needs torch, transformers and safetensors (pip install transformers safetensors).

Writes into Tests/Fixtures/reference/:
  tiny-gpt2/            GPT2LMHeadModel with seeded random weights, save_pretrained(safe_serialization=True):
                        model.safetensors ("transformer." names, no lm_head: tied) + config.json
  reference.safetensors tensors below, HF names without "transformer.", HF layout unless said otherwise
  reference.json        the settings and the scalars (loss, AdamW losses, greedy generation)
  dtypes.safetensors    written by safetensors.torch.save_file: one tensor per dtype, values in DTYPES

reference.safetensors:
  tokens, targets (I64, (B, T))     inputs and next-token targets (targets[b, t] = sequence[b, t + 1])
  logits (F32, (B, T, V))           model(tokens).logits, eval mode, no dropout
  loss (F32, ())                    mean cross-entropy of logits vs targets over all B*T positions
  grad.<name> (F32)                 d loss / d parameter, HF layout (Conv1D weights (in, out)); the tied
                                    wte gradient includes the LM-head contribution
  linear.<name> (F32, (out, in))    for the four Conv1D weights per layer: the HF weight transposed by
                                    torch (.t().contiguous()), i.e. the engine's internal nn.Linear layout
  adamw.<name> (F32)                parameters after the 10 AdamW steps, HF layout
"""
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import safetensors
import safetensors.torch
import torch
import torch.nn.functional as F
import transformers
from transformers import GPT2Config, GPT2LMHeadModel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reference")
SEED = 20261126
# Deliberately not multiples of 8 or 16 (V=67, C=36, head size 9) so SIMD tails are exercised.
CONFIG = dict(vocab_size=67, n_positions=32, n_embd=36, n_layer=2, n_head=4)
B, T = 2, 8
ADAMW = dict(lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1, steps=10)
PROMPT_LENGTH, NEW_TOKENS = 5, 20
CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def make_model():
    config = GPT2Config(**CONFIG, activation_function="gelu_new", layer_norm_epsilon=1e-5,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, tie_word_embeddings=True,
                        bos_token_id=None, eos_token_id=None)  # 50256 (the default) is outside V
    model = GPT2LMHeadModel(config)
    model.config._attn_implementation = "eager"
    # GPT-2's own init leaves biases at 0 and LayerNorm gains at 1, which hides bugs in their
    # use; redraw everything from one seeded generator, in name order:
    #   LayerNorm gains 1 + 0.1·N(0,1); every other 1-D tensor 0.05·N(0,1); every 2-D tensor 0.15·N(0,1).
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            noise = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if ".ln_" in name and name.endswith(".weight"):  # transformer.h.N.ln_1/ln_2, transformer.ln_f
                p.copy_(1.0 + 0.1 * noise)
            elif p.dim() == 1:
                p.copy_(0.05 * noise)
            else:
                p.copy_(0.15 * noise)
    model.eval()
    return model


def short(name):
    return name[len("transformer."):] if name.startswith("transformer.") else name


def mean_loss(model, tokens, targets):
    logits = model(tokens).logits
    return logits, F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))


def greedy_margins(model, prompt, steps):
    """Greedy decoding by hand with full forwards; returns tokens and the smallest top-1 − top-2 gap."""
    ids, gaps = prompt.clone(), []
    with torch.no_grad():
        for _ in range(steps):
            last = model(ids).logits[0, -1]
            top = torch.topk(last, 2).values
            gaps.append(float(top[0] - top[1]))
            ids = torch.cat([ids, last.argmax().view(1, 1)], dim=1)
    return ids[0].tolist(), min(gaps)


def write_dtypes_fixture(path):
    # Values chosen so each is exact in its dtype; the Swift test derives them by hand.
    tensors = {
        "f32": (torch.arange(6, dtype=torch.float32) * 0.5 - 1.0).reshape(2, 3),  # -1, -0.5, 0, 0.5, 1, 1.5
        "f16": torch.tensor([1.0, -2.0, 65504.0, 2.0**-24, 2.0**-14, float("inf"), float("-inf"), -0.0, 1 / 3],
                            dtype=torch.float16),
        "bf16": torch.tensor([1.0, 3.140625, -2.0**-133, float("-inf"), 2.0**127], dtype=torch.bfloat16),
        "f64": torch.tensor([0.1, -1e300], dtype=torch.float64),
        "i64": torch.tensor([[0, -1], [2**40, 7]], dtype=torch.int64),
        "i32": torch.tensor([-2147483648, 2147483647], dtype=torch.int32),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "scalar": torch.tensor(2.5, dtype=torch.float32),
        "empty": torch.zeros((0, 3), dtype=torch.float32),
        "f16nan": torch.tensor([float("nan")], dtype=torch.float16),
    }
    safetensors.torch.save_file(tensors, path, metadata={"written_by": "make_reference.py \"dtypes\"\n"})
    # One metadata key only: the Rust writer's metadata map has no fixed order, so two keys would
    # make the bytes differ from run to run.


def main():
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)

    model = make_model()
    folder = os.path.join(OUT, "tiny-gpt2")
    model.save_pretrained(folder, safe_serialization=True)

    g = torch.Generator().manual_seed(SEED + 1)
    sequence = torch.randint(0, CONFIG["vocab_size"], (B, T + 1), generator=g)
    tokens, targets = sequence[:, :T].contiguous(), sequence[:, 1:].contiguous()
    prompt = torch.randint(0, CONFIG["vocab_size"], (1, PROMPT_LENGTH), generator=g)

    # Greedy generation from the saved folder (proves it loads), before any training.
    loaded = GPT2LMHeadModel.from_pretrained(folder, attn_implementation="eager").eval()
    with torch.no_grad():
        generated = loaded.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=NEW_TOKENS,
                                    do_sample=False, pad_token_id=0, eos_token_id=None)[0].tolist()
    by_hand, min_gap = greedy_margins(loaded, prompt, NEW_TOKENS)
    assert generated == by_hand, (generated, by_hand)
    assert min_gap > 1e-3, f"greedy top-1/top-2 gap {min_gap} too small to be a robust fixture"

    out = {"tokens": tokens, "targets": targets}
    logits, loss = mean_loss(model, tokens, targets)
    loss.backward()
    out["logits"], out["loss"] = logits.detach(), loss.detach()
    for name, p in model.named_parameters():
        out["grad." + short(name)] = p.grad.detach().clone()
        if short(name).endswith(CONV1D):
            out["linear." + short(name)] = p.detach().t().contiguous()

    # AdamW exactly as torch.optim.AdamW (decoupled decay p ← p − lr·wd·p before the Adam step),
    # weight decay on 2-D tensors only (wte, wpe, the Conv1D weights), constant lr, no clipping.
    model.zero_grad(set_to_none=True)
    params = list(model.named_parameters())
    groups = [{"params": [p for _, p in params if p.dim() >= 2], "weight_decay": ADAMW["weight_decay"]},
              {"params": [p for _, p in params if p.dim() < 2], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=ADAMW["lr"], betas=ADAMW["betas"], eps=ADAMW["eps"],
                                  foreach=False, fused=False)
    losses = []
    for _ in range(ADAMW["steps"]):
        optimizer.zero_grad(set_to_none=True)
        _, step_loss = mean_loss(model, tokens, targets)
        step_loss.backward()
        optimizer.step()
        losses.append(step_loss.item())
    for name, p in model.named_parameters():
        out["adamw." + short(name)] = p.detach().clone()

    safetensors.torch.save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(OUT, "reference.safetensors"),
                                metadata={"written_by": "make_reference.py"})
    write_dtypes_fixture(os.path.join(OUT, "dtypes.safetensors"))

    summary = {
        "generator": "Tests/Fixtures/make_reference.py",
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__,
                     "transformers": transformers.__version__, "safetensors": safetensors.__version__},
        "seed": SEED,
        "config": CONFIG | {"activation_function": "gelu_new", "layer_norm_epsilon": 1e-5},
        "init": "LayerNorm gains 1+0.1*N(0,1); other 1-D 0.05*N(0,1); 2-D 0.15*N(0,1); drawn in sorted name order",
        "batch": {"B": B, "T": T, "tokens": tokens.tolist(), "targets": targets.tolist()},
        "loss": loss.item(),
        "adamw": ADAMW | {"decay": "2-D parameters only", "clipping": None, "schedule": "constant",
                          "implementation": "torch.optim.AdamW(foreach=False, fused=False)",
                          "losses_meaning": "losses[i] = loss of the forward pass before update i+1; losses[0] == loss"},
        "adamw_losses": losses,
        "generate": {"prompt": prompt[0].tolist(), "max_new_tokens": NEW_TOKENS, "do_sample": False,
                     "tokens": generated, "min_top1_top2_logit_gap": min_gap,
                     "note": "tokens include the prompt; model.generate (KV cache) and a by-hand full-forward greedy loop agree"},
    }
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    total = 0
    for root, _, files in os.walk(OUT):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    print(f"loss {loss.item():.6f}, adamw losses {losses[0]:.6f} → {losses[-1]:.6f}, "
          f"greedy gap {min_gap:.4f}, fixtures {total} bytes")


if __name__ == "__main__":
    main()
