"""Golden values for the attention family: RoPE, MultiHeadAttention, Mlp, SwiGlu, TransformerBlock.

The modules below are written out in plain PyTorch with the same attribute names as the Java
state dicts (qkv, proj, fc, w1/w2/w3, ln1, attn, ln2, mlp), so golden_common.fill gives both the
same parameters. RoPE is the half-split ("rotate_half", GPT-NeoX / llama) layout, base 10000,
tables computed in float64 and cast to the input dtype, as Rope.java does.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_common import det, fill, case, write


def rope(x, offset, base=10000.0):
    """x: (..., T, hd) at positions offset..offset+T-1; x*cos + rotate_half(x)*sin."""
    t, hd = x.shape[-2], x.shape[-1]
    inv_freq = torch.exp(torch.arange(hd // 2, dtype=torch.float64) * (-2.0 * math.log(base) / hd))
    angles = torch.arange(offset, offset + t, dtype=torch.float64)[:, None] * inv_freq[None, :]
    cos = torch.cat([angles.cos(), angles.cos()], -1).to(x.dtype)
    sin = torch.cat([angles.sin(), angles.sin()], -1).to(x.dtype)
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class MultiHeadAttention(nn.Module):
    def __init__(self, dim, heads, causal, use_rope, bias=True):
        super().__init__()
        self.heads, self.causal, self.use_rope = heads, causal, use_rope
        self.qkv = nn.Linear(dim, 3 * dim, bias=bias)
        self.proj = nn.Linear(dim, dim, bias=bias)

    def forward(self, x, mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if self.use_rope:
            q, k = rope(q, 0), rope(k, 0)
        if self.causal and mask is not None:
            mask = mask & torch.ones(t, t, dtype=torch.bool).tril()
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=self.causal and mask is None)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden, bias=True):
        super().__init__()
        self.fc = nn.Linear(dim, hidden, bias=bias)
        self.proj = nn.Linear(hidden, dim, bias=bias)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x)))


class SwiGlu(nn.Module):
    def __init__(self, dim, hidden, bias=False):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=bias)
        self.w2 = nn.Linear(hidden, dim, bias=bias)
        self.w3 = nn.Linear(dim, hidden, bias=bias)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TransformerBlock(nn.Module):
    def __init__(self, dim, heads, hidden, causal, use_rope, swiglu=False, bias=True):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, bias=bias)
        self.attn = MultiHeadAttention(dim, heads, causal, use_rope, bias)
        self.ln2 = nn.LayerNorm(dim, bias=bias)
        self.mlp = SwiGlu(dim, hidden, bias) if swiglu else Mlp(dim, hidden, bias)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


cases = {}
x = det(0.3, 1.0, 2, 5, 16)  # (B, T, D)

cases["rope"] = case(rope(det(0.9, 1.0, 2, 3, 6, 8), 4))  # (B, H, T, hd) at positions 4..9

mha = MultiHeadAttention(16, 4, causal=True, use_rope=True)
fill(mha, 0.3)
cases["mha_causal_rope"] = case(mha(x))

mha = MultiHeadAttention(16, 4, causal=False, use_rope=False)
fill(mha, 0.3)
cases["mha_bidirectional"] = case(mha(x))
key_padding = torch.tensor([[True] * 5, [True] * 3 + [False] * 2]).view(2, 1, 1, 5)
cases["mha_bidirectional_masked"] = case(mha(x, key_padding))

mlp = Mlp(16, 64)
fill(mlp, 0.3)
cases["mlp"] = case(mlp(x))

swiglu = SwiGlu(16, 40)
fill(swiglu, 0.3)
cases["swiglu"] = case(swiglu(x))

block = TransformerBlock(16, 4, 64, causal=True, use_rope=True)
fill(block, 0.3)
cases["block_causal_rope"] = case(block(x))

block = TransformerBlock(16, 4, 40, causal=False, use_rope=False, swiglu=True, bias=False)
fill(block, 0.3)
cases["block_bidirectional_swiglu"] = case(block(x))

write("attention", cases)
