"""Golden values for the Mamba-3 SISO block (Lahoti et al. 2026): a plain-PyTorch reference.

The SSM runs as the token-by-token recurrence of the spec (docs: specs/sequence.md, "Mamba-3"):
    theta_t = theta_{t-1} + dt_t * pi * tanh(angle_t)
    k_t = R(theta_t)(RMSNorm(B_t) + B_bias),  q_t = R(theta_t)(RMSNorm(C_t) + C_bias)
    h_t = alpha_t h_{t-1} + (1 - lam_t) dt_t alpha_t v_{t-1} k_{t-1}^T + lam_t dt_t v_t k_t^T
    y_t = h_t q_t + D v_t, gated by SiLU(z)
with alpha_t = exp(dt_t A_t), A_t = -heavy_tail(dd_A_t) <= -1e-4, lam_t = sigmoid(trap_t), so it
checks Strata's chunked form independently. Attribute names match the Java state dict (norm.*,
mixer.in_proj.weight, mixer.dt_bias, mixer.B_bias, mixer.C_bias, mixer.B_norm.weight,
mixer.C_norm.weight, mixer.D, mixer.out_proj.weight), so golden_common.fill gives both the same values.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_common import det, fill, case, write

torch.set_default_dtype(torch.float64)  # the reference itself runs in float64


def heavy_tail(x):
    return torch.where(x >= 0, 1 + x, 1 / (1 - x.clamp_max(0)))


def rotate(x, theta):
    """Turns the pairs (x[2i], x[2i+1]) for i < S by theta[i]; the other dims stay."""
    s = theta.shape[-1]
    x0, x1 = x[..., 0:2 * s:2], x[..., 1:2 * s:2]
    c, si = torch.cos(theta), torch.sin(theta)
    turned = torch.stack([x0 * c - x1 * si, x0 * si + x1 * c], dim=-1).flatten(-2)
    return torch.cat([turned, x[..., 2 * s:]], dim=-1)


class Mixer(nn.Module):
    def __init__(self, d_model, d_state, head_dim, expand, n_groups):
        super().__init__()
        self.d_inner = expand * d_model
        self.heads, self.p, self.n, self.g = self.d_inner // head_dim, head_dim, d_state, n_groups
        self.s = d_state // 4  # rotation angles: rope_fraction 0.5, pairs
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner + 2 * n_groups * d_state + 3 * self.heads + self.s, bias=False)
        self.dt_bias = nn.Parameter(torch.zeros(self.heads))
        self.B_bias = nn.Parameter(torch.ones(self.heads, 1, d_state))
        self.C_bias = nn.Parameter(torch.ones(self.heads, 1, d_state))
        self.B_norm = nn.RMSNorm(d_state, eps=1e-5)
        self.C_norm = nn.RMSNorm(d_state, eps=1e-5)
        self.D = nn.Parameter(torch.ones(self.heads))
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, u):
        bsz, t, _ = u.shape
        gn, h_ = self.g * self.n, self.heads
        z, x, b, c, dd_dt, dd_a, trap, angle = torch.split(
            self.in_proj(u), [self.d_inner, self.d_inner, gn, gn, h_, h_, h_, self.s], dim=-1)
        dt = F.softplus(dd_dt + self.dt_bias)                                # (B, T, H)
        a = (-heavy_tail(dd_a)).clamp_max(-1e-4)                             # (B, T, H)
        lam = torch.sigmoid(trap)                                            # (B, T, H)
        v = x.reshape(bsz, t, h_, self.p)
        per_group = h_ // self.g
        b = self.B_norm(b.reshape(bsz, t, self.g, self.n)).repeat_interleave(per_group, dim=2) + self.B_bias[:, 0]
        c = self.C_norm(c.reshape(bsz, t, self.g, self.n)).repeat_interleave(per_group, dim=2) + self.C_bias[:, 0]
        theta = torch.zeros(bsz, h_, self.s)
        h = torch.zeros(bsz, h_, self.p, self.n)
        k_prev = torch.zeros(bsz, h_, self.n)
        v_prev = torch.zeros(bsz, h_, self.p)
        ys = []
        for i in range(t):
            theta = (theta + dt[:, i, :, None] * math.pi * torch.tanh(angle[:, i, None, :])) % (2 * math.pi)
            k = rotate(b[:, i], theta)                                       # (B, H, N)
            q = rotate(c[:, i], theta)
            alpha = torch.exp(dt[:, i] * a[:, i])[..., None, None]           # (B, H, 1, 1)
            beta = ((1 - lam[:, i]) * dt[:, i])[..., None, None] * alpha
            gamma = (lam[:, i] * dt[:, i])[..., None, None]
            h = alpha * h + beta * v_prev[..., None] * k_prev[..., None, :] + gamma * v[:, i, ..., None] * k[..., None, :]
            ys.append((h * q[..., None, :]).sum(-1) + self.D[:, None] * v[:, i])
            k_prev, v_prev = k, v[:, i]
        y = torch.stack(ys, dim=1).reshape(bsz, t, self.d_inner) * F.silu(z)
        self.final = (theta, h, k_prev, v_prev)
        return self.out_proj(y)


class Block(nn.Module):
    def __init__(self, d_model, **kw):
        super().__init__()
        self.norm = nn.RMSNorm(d_model, eps=1e-5)
        self.mixer = Mixer(d_model, **kw)

    def forward(self, x):
        return x + self.mixer(self.norm(x))


cases = {}
# Mamba3Config(16, 8, 8, 2, 2, chunk 8): 4 heads in 2 groups, 2 rotation angles; T = 13 spans a padded second chunk.
block = Block(16, d_state=8, head_dim=8, expand=2, n_groups=2)
fill(block, 0.5)
x = det(0.3, 1.0, 2, 13, 16).double()
cases["block"] = case(block(x))
cases["mixer"] = case(block.mixer(block.norm(x)))  # the block's residual branch alone (max |.| ~ 0.02)
theta, h, k, v = block.mixer.final
cases["angle"] = case(theta)
cases["state"] = case(h)
cases["k"] = case(k)
cases["v"] = case(v)
write("mamba3", cases)
