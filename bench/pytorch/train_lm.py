"""Train a character-level LM on tinyshakespeare in plain PyTorch: the reference for `./strata train lm`.

nanoGPT's character split (first 90% train, last 10% validation); random windows of `--context`
characters, `--batch` per step; AdamW (weight decay only on matrices, not on norms, biases,
embeddings or Mamba-2's A_log / dt_bias / D), linear warm-up then cosine decay to lr/10, global
gradient-norm clipping at 1.0. Training stops after `--steps` steps or `--budget` seconds of training
(evaluation time is not counted); with a budget, the cosine follows the fraction of the budget used.

Prints one JSON object per line on stdout: {"event": "train", ...} every --log-every steps,
{"event": "eval", ...} every --eval-every steps and at the end, and a final
{"event": "summary", "arch", "params", "steps", "val_loss", "tokens_per_s", "ms_per_step", ...}.

    python train_lm.py ../../../shared/data/tinyshakespeare/input.txt --arch mamba2 --budget 900
    python train_lm.py input.txt --arch transformer --steps 3 --eval-batches 2
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from models import build, generate, param_count


def emit(**record):
    print(json.dumps(record), flush=True)


class CharData:
    """The text as int64 token ids over its sorted character set, split 90/10."""

    def __init__(self, path: Path):
        text = path.read_text(encoding="utf-8")
        self.chars = sorted(set(text))
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}
        ids = torch.tensor([self.stoi[ch] for ch in text], dtype=torch.long)
        n = int(0.9 * len(ids))
        self.train, self.val = ids[:n], ids[n:]

    def encode(self, s: str):
        return torch.tensor([self.stoi[ch] for ch in s], dtype=torch.long)

    def decode(self, ids):
        return "".join(self.chars[i] for i in ids)

    @staticmethod
    def batch(split, batch, context, generator):
        """(x, y): `batch` random windows and the same windows shifted by one character."""
        ix = torch.randint(len(split) - context - 1, (batch,), generator=generator)
        x = torch.stack([split[i:i + context] for i in ix])
        y = torch.stack([split[i + 1:i + 1 + context] for i in ix])
        return x, y


def param_groups(model, weight_decay):
    """Weight decay on matrices and conv kernels only; never on embeddings, norms, biases, A_log, dt_bias, D."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and not name.startswith("tok_emb") else no_decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def lr_at(step, progress, args):
    """Linear warm-up over --warmup steps, then cosine from lr to lr/10 as progress goes 0 -> 1."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    min_lr = args.lr / 10
    return min_lr + 0.5 * (args.lr - min_lr) * (1 + math.cos(math.pi * min(progress, 1.0)))


@torch.no_grad()
def evaluate(model, data, args):
    """Mean loss over --eval-batches validation batches, the same batches every time (fixed seed)."""
    model.eval()
    g = torch.Generator().manual_seed(args.seed + 1)
    losses = []
    for _ in range(args.eval_batches):
        x, y = data.batch(data.val, args.batch, args.context, g)
        logits = model(x)
        losses.append(F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).item())
    model.train()
    return sum(losses) / len(losses)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="tinyshakespeare input.txt")
    ap.add_argument("--arch", choices=["transformer", "mamba2", "hybrid"], default="transformer")
    ap.add_argument("--pattern", default=None, help="hybrid layer pattern, e.g. MMMAMM")
    ap.add_argument("--budget", type=float, default=None, help="seconds of training (default 900 unless --steps)")
    ap.add_argument("--steps", type=int, default=None, help="number of training steps")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--grad-clip", type=float, default=1.0)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--eval-batches", type=int, default=20)
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--sample", type=int, default=0, help="characters to generate after training (0: none)")
    ap.add_argument("--prompt", default="ROMEO:")
    args = ap.parse_args()
    if args.steps is None and args.budget is None:
        args.budget = 900.0
    for name in ("batch", "context", "warmup", "eval_every", "eval_batches", "log_every", "threads"):
        if getattr(args, name) <= 0:
            ap.error(f"--{name.replace('_', '-')} must be positive")
    if not args.data.is_file():
        ap.error(f"no such file: {args.data}")
    if args.pattern is not None and args.arch != "hybrid":
        ap.error("--pattern applies to --arch hybrid only")

    torch.set_num_threads(args.threads)
    data = CharData(args.data)
    if args.sample > 0 and set(args.prompt) - set(data.chars):
        ap.error(f"--prompt has characters that are not in the data: {sorted(set(args.prompt) - set(data.chars))}")
    try:
        model = build(args.arch, args.pattern, seed=args.seed, vocab=len(data.chars))
    except ValueError as e:
        ap.error(str(e))
    params = param_count(model)
    emit(event="config", arch=args.arch, pattern=model.config.pattern, params=params, vocab=len(data.chars),
         train_chars=len(data.train), val_chars=len(data.val), torch=torch.__version__, threads=args.threads,
         **{k: v for k, v in vars(args).items() if k not in ("data", "arch", "pattern", "threads")})

    opt = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr, betas=(0.9, 0.99))
    g = torch.Generator().manual_seed(args.seed)
    train_s, step, val_loss = 0.0, 0, float("nan")
    while True:
        progress = max(step / args.steps if args.steps else 0.0, train_s / args.budget if args.budget else 0.0)
        if progress >= 1.0:
            break
        t0 = time.perf_counter()
        lr = lr_at(step, progress, args)
        for group in opt.param_groups:
            group["lr"] = lr
        x, y = data.batch(data.train, args.batch, args.context, g)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        opt.step()
        train_s += time.perf_counter() - t0
        step += 1
        if step % args.log_every == 0:
            emit(event="train", step=step, loss=round(loss.item(), 4), lr=lr, grad_norm=round(grad_norm.item(), 4),
                 train_s=round(train_s, 2))
        if step % args.eval_every == 0:
            val_loss = evaluate(model, data, args)
            emit(event="eval", step=step, val_loss=round(val_loss, 4), train_s=round(train_s, 2))
    if step % args.eval_every != 0:
        val_loss = evaluate(model, data, args)
        emit(event="eval", step=step, val_loss=round(val_loss, 4), train_s=round(train_s, 2))

    summary = dict(event="summary", arch=args.arch, pattern=model.config.pattern, params=params, steps=step,
                   val_loss=round(val_loss, 4), tokens_per_s=round(step * args.batch * args.context / train_s, 1),
                   ms_per_step=round(1000 * train_s / step, 1), train_s=round(train_s, 1), threads=args.threads)
    if args.sample > 0:
        model.eval()
        out = generate(model, data.encode(args.prompt), args.sample, temperature=0.8,
                       generator=torch.Generator().manual_seed(args.seed))
        summary["sample"] = args.prompt + data.decode(out)
    emit(**summary)


if __name__ == "__main__":
    sys.exit(main())
