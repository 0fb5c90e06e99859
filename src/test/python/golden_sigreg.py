"""Golden values for SIGReg (../shared/specs/world-model.md), written out independently of Strata:
the Epps-Pulley statistic integrated with the doubled trapezoid rule on 17 knots over [0, 3].

Inputs are det() tensors (Golden.det); the directions are det values normalised per column, so
both sides see the same ones. Writes src/test/resources/golden/sigreg.json.
"""
import math

import torch

from golden_common import det, case, write


def sigreg(z, u):
    """z: (N, D) or (B, T, D); u: (D, M) unit columns."""
    if z.dim() == 2:
        z = z.unsqueeze(1)  # (N, 1, D)
    n = z.shape[0]
    t = torch.linspace(0, 3, 17, dtype=z.dtype)
    delta = 3 / 16
    w = torch.full((17,), 2 * delta, dtype=z.dtype)
    w[0] = delta
    w[-1] = delta
    phi = torch.exp(-t ** 2 / 2)
    w = w * phi
    total = 0
    for step in range(z.shape[1]):
        x = z[:, step, :] @ u  # (N, M)
        xt = x.unsqueeze(-1) * t  # (N, M, J)
        err = (xt.cos().mean(0) - phi) ** 2 + xt.sin().mean(0) ** 2  # (M, J)
        total = total + (n * (err * w).sum(-1)).mean()
    return total / z.shape[1]


def directions(d, m):
    u = det(0.3, 1.0, d, m)
    return u / u.norm(dim=0, keepdim=True)


cases = {}
for name, shape in {"flat": (16, 8), "seq": (12, 3, 8)}.items():
    z = det(1.1, 1.5, *shape).requires_grad_(True)
    u = directions(8, 32)
    loss = sigreg(z, u)
    loss.backward()
    cases[name + ".loss"] = case(loss)
    cases[name + ".grad"] = case(z.grad)
write("sigreg", cases)
