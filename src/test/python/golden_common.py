"""Shared helpers for the golden-value scripts: the same deterministic tensors as Golden.java.

Each golden_<family>.py builds PyTorch reference layers, fills them with det(name_seed(name)),
runs them on det inputs and writes src/test/resources/golden/<family>.json, which the Java
tests assert. Run from the repo root:  python src/test/python/golden_<family>.py
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float32)
OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def det(seed, scale, *shape):
    """scale*sin(0.7*i + seed) in float32, row-major (identical to Golden.det)."""
    n = math.prod(shape)
    vals = [scale * math.sin(0.7 * i + seed) for i in range(n)]
    return torch.tensor(vals, dtype=torch.float32).reshape(*shape)


def name_seed(name):
    return (sum((i + 1) * ord(c) for i, c in enumerate(name)) % 997) / 10.0


@torch.no_grad()
def fill(module, scale):
    """Every parameter and float buffer <- det(name_seed(name), scale, shape) (Golden.fill)."""
    for name, t in module.state_dict(keep_vars=True).items():
        if t.is_floating_point():
            t.copy_(det(name_seed(name), scale, *t.shape))


def case(tensor):
    t = tensor.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1)]}


def write(family, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, family + ".json")
    with open(path, "w") as f:
        json.dump({f"{family}.{k}": v for k, v in cases.items()}, f, indent=1)
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)} (torch {torch.__version__})")
