"""Golden values for the vision layers: PatchEmbed, VitEncoder (CLS and MEAN), ConvEncoder,
BatchNorm1d, BatchNormProjector and the adaLN-Zero block.

The modules below are plain PyTorch with attribute names identical to the Java state-dict names,
so fill() gives both sides the same parameters. Attention is written out (softmax(q·kᵀ/√d)·v)
rather than calling scaled_dot_product_attention, to be an independent reference.

fill() also fills every float buffer, including BatchNorm's running_var, with sin values that
can be negative; positive_running_var() then maps it to |v| + 0.5 (VisionLayersTest does the same).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_common import det, fill, case, write


@torch.no_grad()
def positive_running_var(module):
    for name, t in module.state_dict(keep_vars=True).items():
        if name.endswith("running_var"):
            t.copy_(t.abs() + 0.5)


def attention(q, k, v, causal):
    """(B, H, T, hd) → (B, H, T, hd)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if causal:
        t = q.size(-2)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(-1) @ v


class PatchEmbed(nn.Module):
    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, heads, head_dim):
        super().__init__()
        self.heads, self.head_dim = heads, head_dim
        self.qkv = nn.Linear(dim, 3 * heads * head_dim)
        self.proj = nn.Linear(heads * head_dim, dim)

    def forward(self, x, causal):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        return self.proj(attention(q, k, v, causal).transpose(1, 2).reshape(b, t, -1))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class VitBlock(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads, dim // heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x), causal=False)
        return x + self.mlp(self.norm2(x))


class VitEncoder(nn.Module):
    def __init__(self, image, patch, channels, dim, depth, heads, mlp_ratio, pool):
        super().__init__()
        self.pool = pool
        n = (image // patch) ** 2
        self.patch_embed = PatchEmbed(channels, patch, dim)
        if pool == "cls":
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + (pool == "cls"), dim))
        self.blocks = nn.ModuleList(VitBlock(dim, heads, int(dim * mlp_ratio)) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def tokens(self, images):
        x = self.patch_embed(images)
        if self.pool == "cls":
            x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1)
        x = x + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.norm(x)

    def forward(self, images):
        t = self.tokens(images)
        return t[:, 0] if self.pool == "cls" else t.mean(1)


class Stage(nn.Module):
    def __init__(self, cin, cout, kernel, groups, act):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=2, padding=(kernel - 1) // 2)
        self.norm = nn.GroupNorm(groups, cout)
        self.act = act

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class ConvEncoder(nn.Module):
    def __init__(self, channels, widths, kernel, groups, act, out_dim):
        super().__init__()
        ins = [channels] + widths[:-1]
        self.stages = nn.ModuleList(Stage(i, o, kernel, groups, act) for i, o in zip(ins, widths))
        self.proj = nn.Linear(widths[-1], out_dim)

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return self.proj(x.mean((2, 3)))


class Projector(nn.Module):
    """LeWM's MLP(norm_fn=BatchNorm1d): Sequential(Linear, BatchNorm1d, GELU, Linear)."""

    def __init__(self, cin, hidden, cout):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(cin, hidden), nn.BatchNorm1d(hidden), nn.GELU(), nn.Linear(hidden, cout))

    def forward(self, x):
        return self.net(x.reshape(-1, x.size(-1))).reshape(*x.shape[:-1], -1)


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


class AdaLnBlock(nn.Module):
    """DiT block with adaLN-Zero, causal attention, inner attention width heads·head_dim."""

    def __init__(self, dim, heads, head_dim, hidden, cond_dim):
        super().__init__()
        self.attn = Attention(dim, heads, head_dim)
        self.mlp = Mlp(dim, hidden)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(cond_dim, 6 * dim))

    def forward(self, x, c):
        if c.dim() == 2:
            c = c.unsqueeze(1)
        s1, sc1, g1, s2, sc2, g2 = self.adaLN_modulation(c).chunk(6, dim=-1)
        norm = lambda t: F.layer_norm(t, (t.size(-1),), eps=1e-6)
        x = x + g1 * self.attn(modulate(norm(x), s1, sc1), causal=True)
        return x + g2 * self.mlp(modulate(norm(x), s2, sc2))


cases = {}
images = det(0.1, 1.0, 2, 3, 8, 8)

pe = PatchEmbed(3, 4, 16)
fill(pe, 0.3)
cases["patch_embed"] = case(pe(images))

for pool in ("cls", "mean"):
    vit = VitEncoder(8, 4, 3, 16, 2, 2, 4.0, pool)
    fill(vit, 0.3)
    cases[f"vit_{pool}_pooled"] = case(vit(images))
    cases[f"vit_{pool}_tokens"] = case(vit.tokens(images))

conv_images = det(0.2, 1.0, 2, 3, 16, 16)
conv = ConvEncoder(3, [4, 8], 4, 2, F.gelu, 6)
fill(conv, 0.3)
cases["conv_gelu_k4"] = case(conv(conv_images))
conv = ConvEncoder(3, [4, 6, 8], 3, 2, F.silu, 5)
fill(conv, 0.3)
cases["conv_silu_k3"] = case(conv(conv_images))

x = det(0.4, 2.0, 6, 5)
bn = nn.BatchNorm1d(5)
fill(bn, 0.5)
positive_running_var(bn)
bn.eval()
cases["bn_eval"] = case(bn(x))
bn.train()
cases["bn_train"] = case(bn(x))
cases["bn_running_mean"] = case(bn.running_mean)
cases["bn_running_var"] = case(bn.running_var)
bn.eval()
cases["bn_eval_after_step"] = case(bn(x))

bn3 = nn.BatchNorm1d(5)
fill(bn3, 0.5)
positive_running_var(bn3)
cases["bn3d_train"] = case(bn3(det(0.6, 1.5, 4, 5, 3)))
cases["bn3d_running_var"] = case(bn3.running_var)

proj = Projector(6, 12, 4)
fill(proj, 0.4)
positive_running_var(proj)
z = det(0.7, 1.0, 2, 3, 6)
cases["projector_train"] = case(proj(z))
cases["projector_running_mean"] = case(proj.net[1].running_mean)
proj.eval()
cases["projector_eval"] = case(proj(z))

block = AdaLnBlock(8, 2, 6, 16, 5)
fill(block, 0.3)
tokens = det(0.8, 1.0, 2, 3, 8)
cases["adaln_per_token"] = case(block(tokens, det(0.9, 1.0, 2, 3, 5)))
cases["adaln_per_sequence"] = case(block(tokens, det(1.0, 1.0, 2, 5)))

write("vision", cases)
