"""PyTorch eager side of `./strata bench substrate`: the same measurements on the same models.

Prints ONE JSON object on stdout (progress goes to stderr):

  matmul_gflops        {"512": ..., "1024": ...}: float32 n x n matmul, 2n^3 FLOPs each, repeated
                       until >= 0.5 s after one warm-up; matmul_peak_gflops is the largest
  op_overhead_us       mean wall time of `a + b` on two 1-element tensors over 10,000 calls
  archs.<arch>         for transformer, mamba2 and hybrid (models.py, ~0.8M parameters each):
    params
    train_step_ms      median over --steps timed steps (after --warmup) of zero_grad + forward +
                       cross-entropy + backward + AdamW step, batch x context random tokens
    train_step_ms_all  every timed step
    flops_per_step     model FLOPs of one step (formula below)
    achieved_gflops    flops_per_step / train_step_ms
    fraction_of_peak   achieved_gflops / matmul_peak_gflops
    decode_tokens_per_s  batch 1, greedy, after a 16-token prefill, --decode-tokens one-token steps
                       using the KV cache / recurrent state (prefill not timed)
    decode_state_bytes {"1024": ..., "4096": ..., "16384": ...}: bytes of every decode-state tensor
                       (KV caches, conv and SSM states) for that context, from their shapes

FLOPs per training step (forward + backward = 3x forward; tokens = batch x context):
  6 * N * tokens                               N = parameters except the token embedding (a lookup)
  + 12 * L_attn * batch * context^2 * d_model  attention scores and mixing, full T x T, not halved
                                               for the causal mask (PaLM's convention)
  + 3 * L_mamba * tokens * (2*Q*N_s + H*(2*Q*P + 4*N_s*P))
                                               chunked SSD: C.B^T shared by heads (2QN_s per token),
                                               masked mixing (2QP per head), chunk states and state
                                               outputs (2N_sP each per head); Q chunk, N_s d_state,
                                               P headdim, H heads

    python bench_substrate.py --threads 2 --steps 5
    python bench_substrate.py --steps 1 --warmup 1 --archs transformer --decode-tokens 16
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from models import VOCAB, build, param_count, state_bytes

DECODE_CONTEXTS = (1024, 4096, 16384)
PROMPT_TOKENS = 16


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def matmul_gflops(n, min_seconds=0.5):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b  # warm-up
    reps, t0 = 0, time.perf_counter()
    while True:
        a @ b
        reps += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds and reps >= 3:
            return 2.0 * n ** 3 * reps / elapsed / 1e9


def op_overhead_us(calls=10_000):
    a, b = torch.ones(1), torch.ones(1)
    for _ in range(1000):  # warm-up
        a + b
    t0 = time.perf_counter()
    for _ in range(calls):
        a + b
    return (time.perf_counter() - t0) / calls * 1e6


def flops_per_step(model, batch, context):
    c = model.config
    tokens = batch * context
    n = param_count(model) - model.tok_emb.weight.numel()
    flops = 6 * n * tokens
    flops += 12 * c.pattern.count("A") * batch * context ** 2 * c.d_model
    if "M" in c.pattern:
        heads = c.expand * c.d_model // c.headdim
        per_token = 2 * c.chunk * c.d_state + heads * (2 * c.chunk * c.headdim + 4 * c.d_state * c.headdim)
        flops += 3 * c.pattern.count("M") * tokens * per_token
    return flops


def train_step_times(model, batch, context, warmup, steps, seed):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(seed)
    times = []
    for i in range(warmup + steps):
        x = torch.randint(0, VOCAB, (batch, context), generator=g)
        y = torch.randint(0, VOCAB, (batch, context), generator=g)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt * 1000)
    return times


@torch.inference_mode()
def decode_tokens_per_s(model, new_tokens, seed):
    model.eval()
    g = torch.Generator().manual_seed(seed)
    prompt = torch.randint(0, VOCAB, (1, PROMPT_TOKENS), generator=g)
    states = model.init_state(1, PROMPT_TOKENS + new_tokens)
    logits = model(prompt, states)[:, -1]
    t0 = time.perf_counter()
    for _ in range(new_tokens):
        nxt = logits.argmax(dim=-1, keepdim=True)  # (1, 1)
        logits = model(nxt, states)[:, -1]
    elapsed = time.perf_counter() - t0
    model.train()
    return new_tokens / elapsed


def bench_arch(arch, args, peak):
    model = build(arch, seed=args.seed)
    params = param_count(model)
    log(f"{arch}: {params:,} parameters, pattern {model.config.pattern}; training steps…")
    times = train_step_times(model, args.batch, args.context, args.warmup, args.steps, args.seed)
    step_ms = statistics.median(times)
    flops = flops_per_step(model, args.batch, args.context)
    achieved = flops / (step_ms / 1000) / 1e9
    log(f"{arch}: {step_ms:.1f} ms/step, {achieved:.1f} GFLOP/s; decoding…")
    return {
        "params": params,
        "pattern": model.config.pattern,
        "train_step_ms": round(step_ms, 2),
        "train_step_ms_all": [round(t, 2) for t in times],
        "flops_per_step": flops,
        "achieved_gflops": round(achieved, 2),
        "fraction_of_peak": round(achieved / peak, 4),
        "decode_tokens_per_s": round(decode_tokens_per_s(model, args.decode_tokens, args.seed), 1),
        "decode_state_bytes": {str(ctx): state_bytes(model.init_state(1, ctx, device="meta"))
                               for ctx in DECODE_CONTEXTS},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (default: all cores)")
    ap.add_argument("--steps", type=int, default=5, help="timed training steps per arch")
    ap.add_argument("--warmup", type=int, default=2, help="untimed training steps first")
    ap.add_argument("--archs", default="transformer,mamba2,hybrid")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--decode-tokens", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    archs = [a for a in args.archs.split(",") if a]
    unknown = set(archs) - {"transformer", "mamba2", "hybrid"}
    if unknown or not archs:
        ap.error(f"--archs takes transformer, mamba2, hybrid; got {args.archs!r}")
    for name in ("threads", "steps", "batch", "context", "decode_tokens"):
        if getattr(args, name) <= 0:
            ap.error(f"--{name.replace('_', '-')} must be positive")
    if args.warmup < 0:
        ap.error("--warmup must be >= 0")

    torch.set_num_threads(args.threads)
    log(f"torch {torch.__version__}, {args.threads} threads; matmul…")
    matmul = {str(n): round(matmul_gflops(n), 2) for n in (512, 1024)}
    peak = max(matmul.values())
    result = {
        "engine": "pytorch-eager",
        "torch": torch.__version__,
        "blas": "MKL" if torch.backends.mkl.is_available() else "other",
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "context": args.context,
        "steps": args.steps,
        "warmup": args.warmup,
        "matmul_gflops": matmul,
        "matmul_peak_gflops": peak,
        "op_overhead_us": round(op_overhead_us(), 3),
        "archs": {arch: bench_arch(arch, args, peak) for arch in archs},
        "flops_formula": "6*N*tokens + 12*L_attn*B*T^2*d + 3*L_mamba*tokens*(2*Q*N_s + H*(2*Q*P + 4*N_s*P))",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
