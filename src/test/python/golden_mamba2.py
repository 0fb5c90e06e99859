"""Golden values for the Mamba-2 block (Dao & Gu 2024): a plain-PyTorch reference.

The SSM runs as the plain token-by-token recurrence h_t = exp(dt*A) h_{t-1} + dt x_t B_t^T,
y_t = h_t C_t, so it checks Strata's chunked SSD independently. Attribute names match the Java
state dict (norm.*, mixer.in_proj.weight, mixer.conv1d.*, mixer.dt_bias, mixer.A_log, mixer.D,
mixer.norm.weight, mixer.out_proj.weight), so golden_common.fill gives both the same values.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_common import det, fill, case, write

torch.set_default_dtype(torch.float64)  # the reference itself runs in float64


class Mixer(nn.Module):
    def __init__(self, d_model, d_state, head_dim, expand, n_groups, conv_kernel):
        super().__init__()
        self.d_inner = expand * d_model
        self.heads, self.p, self.n, self.g = self.d_inner // head_dim, head_dim, d_state, n_groups
        self.conv_dim = self.d_inner + 2 * n_groups * d_state
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner + 2 * n_groups * d_state + self.heads, bias=False)
        self.conv1d = nn.Conv1d(self.conv_dim, self.conv_dim, conv_kernel, groups=self.conv_dim, padding=conv_kernel - 1)
        self.dt_bias = nn.Parameter(torch.zeros(self.heads))
        self.A_log = nn.Parameter(torch.zeros(self.heads))
        self.D = nn.Parameter(torch.ones(self.heads))
        self.norm = nn.RMSNorm(self.d_inner, eps=1e-5)
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, u):
        bsz, t, _ = u.shape
        z, xbc, dt = torch.split(self.in_proj(u), [self.d_inner, self.conv_dim, self.heads], dim=-1)
        dt = F.softplus(dt + self.dt_bias)                                   # (B, T, H)
        xbc = F.silu(self.conv1d(xbc.transpose(1, 2))[..., :t].transpose(1, 2))
        x, b, c = torch.split(xbc, [self.d_inner, self.g * self.n, self.g * self.n], dim=-1)
        x = x.reshape(bsz, t, self.heads, self.p)
        per_group = self.heads // self.g
        b = b.reshape(bsz, t, self.g, self.n).repeat_interleave(per_group, dim=2)  # (B, T, H, N)
        c = c.reshape(bsz, t, self.g, self.n).repeat_interleave(per_group, dim=2)
        a = -torch.exp(self.A_log)
        h = torch.zeros(bsz, self.heads, self.p, self.n)
        ys = []
        for i in range(t):
            h = torch.exp(dt[:, i] * a)[..., None, None] * h \
                + (dt[:, i, :, None] * x[:, i])[..., None] * b[:, i, :, None, :]
            ys.append((h * c[:, i, :, None, :]).sum(-1))
        y = torch.stack(ys, dim=1) + x * self.D[:, None]
        y = self.norm(y.reshape(bsz, t, self.d_inner) * F.silu(z))
        self.final_state = h
        return self.out_proj(y)


class Block(nn.Module):
    def __init__(self, d_model, **kw):
        super().__init__()
        self.norm = nn.RMSNorm(d_model, eps=1e-5)
        self.mixer = Mixer(d_model, **kw)

    def forward(self, x):
        return x + self.mixer(self.norm(x))


cases = {}
# Mamba2Config(16, 8, 8, 2, 2, 4, chunk 8): 4 heads in 2 groups; T = 13 spans a padded second chunk.
block = Block(16, d_state=8, head_dim=8, expand=2, n_groups=2, conv_kernel=4)
fill(block, 0.5)
x = det(0.3, 1.0, 2, 13, 16).double()
cases["block"] = case(block(x))
cases["state"] = case(block.mixer.final_state)
write("mamba2", cases)
