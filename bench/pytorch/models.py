"""Character-level language models equal to the ones Strata builds, in plain PyTorch (eager).

Three backbones share one LM shell (token embedding -> blocks -> final norm -> untied head):

* ``transformer``: pre-LN GPT blocks: LayerNorm, causal multi-head attention with a fused qkv
  projection and rotary embeddings (RoPE, "rotate_half" layout, base 10000), LayerNorm, GELU MLP 4x.
  Final LayerNorm.
* ``mamba2``: RMSNorm pre-norm + Mamba-2 mixer (Dao & Gu 2024) + residual, per
  ../../shared/specs/sequence.md: in_proj -> [z, x, B, C, dt]; depthwise causal conv (k=4) + SiLU
  over [x, B, C]; chunked SSD (``ssd_minimal``'s algorithm with ``segsum``); D skip; gated RMSNorm
  norm(y * SiLU(z)); out_proj. Final RMSNorm.
* ``hybrid``: a stack from a pattern string such as "MMMAMM" (M = Mamba-2 block, A = transformer
  block). Final RMSNorm.

Every model decodes incrementally: ``init_state`` allocates a KV cache per attention layer and a
(conv, SSM) state per Mamba-2 layer; ``forward(idx, states)`` consumes tokens and advances them, so
generation never re-runs the prefix.  Initialisation follows PyTorch's defaults (Linear
U(+-1/sqrt(in)), Embedding N(0, 1)) plus Mamba-2's own for A_log, dt_bias and D, as Strata does.

    python models.py          # parameter counts and a decode-vs-forward agreement check
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 65  # distinct characters in tinyshakespeare


# --------------------------------------------------------------------------- configuration

@dataclass
class Config:
    vocab: int = VOCAB
    d_model: int = 128
    # transformer blocks
    n_head: int = 4
    bias: bool = True  # biases in the attention and MLP projections (PyTorch's Linear default)
    # Mamba-2 blocks
    d_state: int = 64
    headdim: int = 32
    expand: int = 2
    d_conv: int = 4
    chunk: int = 64
    # the stack: one letter per block, M = Mamba-2, A = attention (transformer block)
    pattern: str = "AAAA"
    final_norm: str = "layernorm"  # or "rmsnorm"


def config_for(arch: str, pattern: str | None = None) -> Config:
    """The default ~0.8M-parameter configuration of each architecture."""
    if arch == "transformer":
        return Config(pattern="A" * 4, final_norm="layernorm")
    if arch == "mamba2":
        return Config(pattern="M" * 7, final_norm="rmsnorm")
    if arch == "hybrid":
        # one attention block in six, in the middle of the stack (Jamba puts it at i % 8 == 4)
        return Config(pattern=pattern or "MMMAMM", final_norm="rmsnorm")
    raise ValueError(f"unknown arch '{arch}' (transformer, mamba2, hybrid)")


# --------------------------------------------------------------------------- rotary embeddings

def rope_cos_sin(start: int, length: int, head_dim: int, dtype, device, base: float = 10000.0):
    """cos and sin tables (length, head_dim) for positions start..start+length-1, halves repeated."""
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim))
    t = torch.arange(start, start + length, device=device, dtype=torch.float32)
    freqs = torch.outer(t, inv_freq)  # (T, hd/2)
    emb = torch.cat((freqs, freqs), dim=-1)  # (T, hd)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rope(x, cos, sin):
    """x (B, H, T, hd) rotated by position: x*cos + rotate_half(x)*sin (Su et al. 2021)."""
    return x * cos + rotate_half(x) * sin


# --------------------------------------------------------------------------- decode state

@dataclass
class KVCache:
    """Keys and values of one attention layer, preallocated for max_len positions."""
    k: torch.Tensor  # (B, H, max_len, hd)
    v: torch.Tensor  # (B, H, max_len, hd)
    pos: int = 0  # positions filled so far

    def tensors(self):
        return [self.k, self.v]


@dataclass
class SSMState:
    """State of one Mamba-2 layer: the last d_conv-1 conv inputs and the SSM state h."""
    conv: torch.Tensor  # (B, conv_dim, d_conv - 1)
    ssm: torch.Tensor  # (B, H, P, N)
    pos: int = 0

    def tensors(self):
        return [self.conv, self.ssm]


def state_bytes(states) -> int:
    return sum(t.numel() * t.element_size() for s in states for t in s.tensors())


# --------------------------------------------------------------------------- transformer block

class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention with a fused qkv projection and RoPE (Vaswani et al. 2017)."""

    def __init__(self, c: Config):
        super().__init__()
        assert c.d_model % c.n_head == 0
        self.n_head = c.n_head
        self.head_dim = c.d_model // c.n_head
        self.qkv = nn.Linear(c.d_model, 3 * c.d_model, bias=c.bias)
        self.proj = nn.Linear(c.d_model, c.d_model, bias=c.bias)

    def init_state(self, batch, max_len, device, dtype):
        shape = (batch, self.n_head, max_len, self.head_dim)
        return KVCache(torch.zeros(shape, device=device, dtype=dtype), torch.zeros(shape, device=device, dtype=dtype))

    def forward(self, x, cos, sin, cache: KVCache | None = None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, hd)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            p = cache.pos
            cache.k[:, :, p:p + T] = k
            cache.v[:, :, p:p + T] = v
            k_all, v_all = cache.k[:, :, :p + T], cache.v[:, :, :p + T]
            if T == 1:  # one query sees every cached key: no mask
                y = F.scaled_dot_product_attention(q, k_all, v_all)
            else:  # SDPA's is_causal is aligned top-left, so a block after a prefix needs its own mask
                mask = torch.ones(T, p + T, dtype=torch.bool, device=x.device).tril(diagonal=p)
                y = F.scaled_dot_product_attention(q, k_all, v_all, attn_mask=mask)
            cache.pos = p + T
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class MLP(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.fc = nn.Linear(c.d_model, 4 * c.d_model, bias=c.bias)
        self.proj = nn.Linear(4 * c.d_model, c.d_model, bias=c.bias)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x)))


class TransformerBlock(nn.Module):
    """Pre-LN block: x + attn(ln1(x)), then + mlp(ln2(x))."""

    def __init__(self, c: Config):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.d_model)
        self.attn = CausalSelfAttention(c)
        self.ln2 = nn.LayerNorm(c.d_model)
        self.mlp = MLP(c)

    def init_state(self, batch, max_len, device, dtype):
        return self.attn.init_state(batch, max_len, device, dtype)

    def forward(self, x, rope, state=None):
        x = x + self.attn(self.ln1(x), *rope, cache=state)
        return x + self.mlp(self.ln2(x))


# --------------------------------------------------------------------------- Mamba-2

def segsum(a):
    """a (..., T) -> (..., T, T) with out[..., i, j] = a[j+1] + ... + a[i] for j <= i, -inf above.

    Sums are taken of masked entries rather than as differences of a cumulative sum, which is
    stable, and exp(-inf) = 0 makes the upper triangle vanish.
    """
    T = a.size(-1)
    a = a[..., None].expand(*a.shape, T)  # (..., T, T): a[..., i, j] = a_i
    strictly_lower = torch.ones(T, T, dtype=torch.bool, device=a.device).tril(diagonal=-1)
    s = a.masked_fill(~strictly_lower, 0).cumsum(dim=-2)
    lower = torch.ones(T, T, dtype=torch.bool, device=a.device).tril(diagonal=0)
    return s.masked_fill(~lower, -torch.inf)


def ssd_chunked(X, A, B, C, chunk, initial_state=None):
    """Chunked SSD (Mamba-2 paper, ``ssd_minimal_discrete``), with one B/C group shared by all heads.

    X (b, l, h, p) = dt*x; A (b, l, h) = dt*A (log-decays, <= 0); B, C (b, l, n); l % chunk == 0;
    initial_state (b, h, p, n) or None. Returns Y (b, l, h, p) and the final state (b, h, p, n).
    """
    b, l, h, p = X.shape
    n = B.size(-1)
    c = l // chunk
    X = X.reshape(b, c, chunk, h, p)
    B = B.reshape(b, c, chunk, n)
    C = C.reshape(b, c, chunk, n)
    A = A.reshape(b, c, chunk, h).permute(0, 3, 1, 2)  # (b, h, c, Q)
    A_cumsum = A.cumsum(dim=-1)

    # 1. intra-chunk outputs: a Q x Q masked "attention" with decays exp(acs_l - acs_s)
    L = torch.exp(segsum(A))  # (b, h, c, Q, Q)
    Y_diag = torch.einsum("bcln,bcsn,bhcls,bcshp->bclhp", C, B, L, X)

    # 2. the state each chunk adds: S_c = sum_s exp(acs_last - acs_s) X_s B_s^T
    decay_states = torch.exp(A_cumsum[..., -1:] - A_cumsum)  # (b, h, c, Q)
    states = torch.einsum("bcln,bhcl,bclhp->bchpn", B, decay_states, X)  # (b, c, h, p, n)

    # 3. inter-chunk recurrence h_{c+1} = exp(acs_last) h_c + S_c, as one matmul over chunks
    if initial_state is None:
        initial_state = torch.zeros_like(states[:, 0])
    states = torch.cat([initial_state[:, None], states], dim=1)  # (b, c+1, h, p, n)
    decay_chunk = torch.exp(segsum(F.pad(A_cumsum[..., -1], (1, 0))))  # (b, h, c+1, c+1)
    new_states = torch.einsum("bhzc,bchpn->bzhpn", decay_chunk, states)
    states, final_state = new_states[:, :-1], new_states[:, -1]

    # 4. outputs from the state entering each chunk: Y_off[l] = exp(acs_l) C_l h_c
    Y_off = torch.einsum("bcln,bchpn,bhcl->bclhp", C, states, torch.exp(A_cumsum))
    return (Y_diag + Y_off).reshape(b, l, h, p), final_state


class Mamba2Mixer(nn.Module):
    """Mamba-2 mixer (Dao & Gu 2024, SSD): h_t = exp(dt*A) h_{t-1} + dt x_t B_t^T, y_t = h_t C_t + D x_t."""

    def __init__(self, c: Config):
        super().__init__()
        self.d_inner = c.expand * c.d_model
        assert self.d_inner % c.headdim == 0
        self.n_heads = self.d_inner // c.headdim
        self.headdim, self.d_state, self.d_conv, self.chunk = c.headdim, c.d_state, c.d_conv, c.chunk
        self.conv_dim = self.d_inner + 2 * c.d_state
        self.in_proj = nn.Linear(c.d_model, 2 * self.d_inner + 2 * c.d_state + self.n_heads, bias=False)
        self.conv1d = nn.Conv1d(self.conv_dim, self.conv_dim, c.d_conv, groups=self.conv_dim, bias=True)
        # dt = softplus(raw + dt_bias) starts log-uniform in [1e-3, 1e-1]: dt_bias = softplus^-1(dt)
        dt = torch.exp(torch.rand(self.n_heads) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
        self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.empty(self.n_heads).uniform_(1, 16)))  # A = -exp(A_log)
        self.D = nn.Parameter(torch.ones(self.n_heads))
        self.norm = nn.RMSNorm(self.d_inner, eps=1e-5)  # gated: norm(y * silu(z))
        self.out_proj = nn.Linear(self.d_inner, c.d_model, bias=False)

    def init_state(self, batch, max_len, device, dtype):
        conv = torch.zeros(batch, self.conv_dim, self.d_conv - 1, device=device, dtype=dtype)
        ssm = torch.zeros(batch, self.n_heads, self.headdim, self.d_state, device=device, dtype=dtype)
        return SSMState(conv, ssm)

    def forward(self, u, state: SSMState | None = None):
        Bsz, T, _ = u.shape
        z, xBC, dt = self.in_proj(u).split([self.d_inner, self.conv_dim, self.n_heads], dim=-1)
        dt = F.softplus(dt + self.dt_bias)  # (B, T, H)
        A = -torch.exp(self.A_log)  # (H)

        # depthwise causal conv over [x, B, C]: prepend the previous k-1 inputs (zeros at the start)
        xBC = xBC.transpose(1, 2)  # (B, conv_dim, T)
        prefix = state.conv if state is not None else xBC.new_zeros(Bsz, self.conv_dim, self.d_conv - 1)
        xBC = torch.cat([prefix, xBC], dim=-1)
        if state is not None:
            state.conv = xBC[..., -(self.d_conv - 1):]
        xBC = F.silu(F.conv1d(xBC, self.conv1d.weight, self.conv1d.bias, groups=self.conv_dim)).transpose(1, 2)
        x, B, C = xBC.split([self.d_inner, self.d_state, self.d_state], dim=-1)
        x = x.reshape(Bsz, T, self.n_heads, self.headdim)  # (B, T, H, P)

        if state is not None and T == 1:
            y = self._step(x[:, 0], dt[:, 0], A, B[:, 0], C[:, 0], state)[:, None]
        else:
            y = self._chunked(x, dt, A, B, C, state)
        y = y + x * self.D[:, None]
        y = self.norm(y.reshape(Bsz, T, self.d_inner) * F.silu(z))
        return self.out_proj(y)

    def _chunked(self, x, dt, A, B, C, state):
        T = x.size(1)
        pad = (-T) % self.chunk  # padded steps have dt*A = 0 and dt*x = 0: they leave the state as it is
        Xbar, Adt = x * dt[..., None], dt * A
        if pad:
            Xbar, Adt = F.pad(Xbar, (0, 0, 0, 0, 0, pad)), F.pad(Adt, (0, 0, 0, pad))
            B, C = F.pad(B, (0, 0, 0, pad)), F.pad(C, (0, 0, 0, pad))
        y, final = ssd_chunked(Xbar, Adt, B, C, self.chunk, state.ssm if state is not None else None)
        if state is not None:
            state.ssm = final
            state.pos += T
        return y[:, :T]

    def _step(self, x, dt, A, B, C, state):
        """One token: x (B, H, P), dt (B, H), B, C (B, N); updates state.ssm (B, H, P, N)."""
        decay = torch.exp(dt * A)[..., None, None]  # (B, H, 1, 1)
        state.ssm = state.ssm * decay + (dt[..., None] * x)[..., None] * B[:, None, None, :]
        state.pos += 1
        return torch.einsum("bhpn,bn->bhp", state.ssm, C)


class Mamba2Block(nn.Module):
    """x + mixer(RMSNorm(x))."""

    def __init__(self, c: Config):
        super().__init__()
        self.norm = nn.RMSNorm(c.d_model, eps=1e-5)
        self.mixer = Mamba2Mixer(c)

    def init_state(self, batch, max_len, device, dtype):
        return self.mixer.init_state(batch, max_len, device, dtype)

    def forward(self, x, rope, state=None):
        return x + self.mixer(self.norm(x), state)


# --------------------------------------------------------------------------- the LM

class LM(nn.Module):
    """Token embedding -> blocks (from the pattern) -> final norm -> untied linear head (no bias)."""

    def __init__(self, c: Config):
        super().__init__()
        if not c.pattern or set(c.pattern) - {"A", "M"}:
            raise ValueError(f"pattern '{c.pattern}' must be a non-empty string of A and M")
        self.config = c
        self.tok_emb = nn.Embedding(c.vocab, c.d_model)
        self.blocks = nn.ModuleList(TransformerBlock(c) if k == "A" else Mamba2Block(c) for k in c.pattern)
        self.ln_f = nn.LayerNorm(c.d_model) if c.final_norm == "layernorm" else nn.RMSNorm(c.d_model, eps=1e-5)
        self.head = nn.Linear(c.d_model, c.vocab, bias=False)
        self.head_dim = c.d_model // c.n_head

    def init_state(self, batch, max_len, device=None, dtype=None):
        """Decode state for up to max_len positions (device="meta" sizes it without allocating)."""
        device = device if device is not None else self.head.weight.device
        dtype = dtype if dtype is not None else self.head.weight.dtype
        return [blk.init_state(batch, max_len, device, dtype) for blk in self.blocks]

    def forward(self, idx, states=None):
        """idx (B, T) int64 -> logits (B, T, vocab); with states, continues from and advances them."""
        T = idx.size(1)
        start = states[0].pos if states else 0
        x = self.tok_emb(idx)  # (B, T, D)
        rope = rope_cos_sin(start, T, self.head_dim, x.dtype, x.device) if "A" in self.config.pattern else None
        for i, blk in enumerate(self.blocks):
            x = blk(x, rope, states[i] if states else None)
        return self.head(self.ln_f(x))


def build(arch: str, pattern: str | None = None, seed: int = 0, **overrides) -> LM:
    torch.manual_seed(seed)
    c = config_for(arch, pattern)
    for k, v in overrides.items():
        setattr(c, k, v)
    return LM(c)


def param_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@torch.inference_mode()
def generate(model: LM, prompt, new_tokens: int, temperature: float = 0.0, generator=None):
    """Prefill the prompt (1-D int64) once, then one token per call using the decode state."""
    states = model.init_state(1, prompt.numel() + new_tokens)
    logits = model(prompt[None], states)[:, -1]
    out = []
    for _ in range(new_tokens):
        if temperature <= 0:
            nxt = logits.argmax(dim=-1, keepdim=True)
        else:
            nxt = torch.multinomial(F.softmax(logits / temperature, dim=-1), 1, generator=generator)
        out.append(nxt.item())
        logits = model(nxt, states)[:, -1]
    return out


# --------------------------------------------------------------------------- self-check

def _check(archs, atol):
    """Incremental decode (prefill + one-token steps) must reproduce the full forward's logits."""
    ok = True
    for arch in archs:
        model = build(arch).eval()
        torch.manual_seed(1)
        idx = torch.randint(0, VOCAB, (2, 80))
        with torch.no_grad():
            full = model(idx)
            states = model.init_state(2, 80)
            # a prefill, single steps, a block after a prefix (explicit mask, initial SSM state), steps
            parts = [model(idx[:, :37], states)] + [model(idx[:, t:t + 1], states) for t in range(37, 50)]
            parts += [model(idx[:, 50:70], states)] + [model(idx[:, t:t + 1], states) for t in range(70, 80)]
            inc = torch.cat(parts, dim=1)
        err = (full - inc).abs().max().item()
        ok &= err <= atol
        print(f"{arch:12s} pattern {model.config.pattern:8s} params {param_count(model):>9,d}"
              f"  decode-vs-forward max|diff| {err:.2e} {'ok' if err <= atol else 'FAIL'}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archs", default="transformer,mamba2,hybrid")
    ap.add_argument("--atol", type=float, default=1e-4)
    args = ap.parse_args()
    torch.set_num_threads(1)
    raise SystemExit(0 if _check(args.archs.split(","), args.atol) else 1)


if __name__ == "__main__":
    main()
