"""Golden values for Strata's AdamW: torch.optim.AdamW on deterministic parameters and gradients.

Two parameter groups, as ParamGroup.standard builds them: "decay" (weight decay 0.1, lr scale 1)
and "no_decay" (weight decay 0, lr scale 0.5 here, to exercise the per-group multiplier). The base
learning rate changes every step, as a schedule would set it. Gradient of parameter j at step t is
det(1.3 + 0.1·t + j, 0.5). Run from the repo root:  python src/test/python/golden_adamw.py
"""
import torch

from golden_common import det, case, write

SHAPES = {"w": (4, 3), "b": (4,), "emb": (5, 3)}
STEPS = 5
BASE_LRS = [0.01 * (t + 1) / STEPS for t in range(STEPS)]  # warm-up-like, changes every step
BETAS, EPS, WD, NO_DECAY_LR_SCALE = (0.9, 0.95), 1e-8, 0.1, 0.5

params = {name: det(0.2 + j, 1.0, *shape).requires_grad_() for j, (name, shape) in enumerate(SHAPES.items())}
opt = torch.optim.AdamW(
    [
        {"params": [params["w"]], "weight_decay": WD, "lr": BASE_LRS[0]},
        {"params": [params["b"], params["emb"]], "weight_decay": 0.0, "lr": BASE_LRS[0] * NO_DECAY_LR_SCALE},
    ],
    betas=BETAS, eps=EPS, foreach=False)

cases = {}
for t in range(STEPS):
    opt.param_groups[0]["lr"] = BASE_LRS[t]
    opt.param_groups[1]["lr"] = BASE_LRS[t] * NO_DECAY_LR_SCALE
    for j, (name, p) in enumerate(params.items()):
        p.grad = det(1.3 + 0.1 * t + j, 0.5, *p.shape)
    opt.step()
    if t == 0:
        for name, p in params.items():
            cases[f"step1.{name}"] = case(p)

for name, p in params.items():
    cases[f"final.{name}"] = case(p)
    cases[f"final.{name}.exp_avg"] = case(opt.state[p]["exp_avg"])
    cases[f"final.{name}.exp_avg_sq"] = case(opt.state[p]["exp_avg_sq"])
write("adamw", cases)
