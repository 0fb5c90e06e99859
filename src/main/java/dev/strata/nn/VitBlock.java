package dev.strata.nn;

import static dev.strata.nn.Ops.sdpa;

/**
 * A pre-norm ViT encoder block (Dosovitskiy et al. 2021, eqs. 2–3), named as timm's {@code Block}:
 * {@code x ← x + attn(norm1(x))}, {@code x ← x + mlp(norm2(x))}; LayerNorm ε = 1e-6.
 */
public final class VitBlock extends Module {
  public final LayerNorm norm1;
  public final Attention attn;
  public final LayerNorm norm2;
  public final Mlp mlp;

  public VitBlock(long dim, long heads, long mlpHidden) {
    if (dim % heads != 0)
      throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
    this.norm1 = child("norm1", new LayerNorm(dim, true, 1e-6));
    this.attn = child("attn", new Attention(dim, heads, dim / heads));
    this.norm2 = child("norm2", new LayerNorm(dim, true, 1e-6));
    this.mlp = child("mlp", new Mlp(dim, mlpHidden));
  }

  /** (B, N, D) → (B, N, D), every token attending to every token. */
  public Tensor forward(Tensor x) {
    x = x.add(attn.forward(norm1.forward(x), false));
    return x.add(mlp.forward(norm2.forward(x)));
  }

  /**
   * Multi-head self-attention with a fused {@code qkv} projection and an output {@code proj}, as
   * timm's {@code Attention}; the inner width heads·headDim may differ from the model width.
   */
  public static final class Attention extends Module {
    public final long heads;
    public final long headDim;
    public final Linear qkv; // (D) → (3·H·hd)
    public final Linear proj; // (H·hd) → (D)

    public Attention(long dim, long heads, long headDim) {
      this.heads = heads;
      this.headDim = headDim;
      this.qkv = child("qkv", new Linear(dim, 3 * heads * headDim));
      this.proj = child("proj", new Linear(heads * headDim, dim));
    }

    /** (B, T, D) → (B, T, D); {@code causal}: token t attends to tokens ≤ t only. */
    public Tensor forward(Tensor x, boolean causal) {
      long b = x.size(0);
      long t = x.size(1);
      if (t == 1) {
        // One token attends only to itself: the softmax over one key is exactly 1, so the output
        // is its value; skip the query and key projections (a third of the cost of qkv).
        long inner = heads * headDim;
        Tensor v =
            Ops.linear(
                x, qkv.weight.narrow(0, 2 * inner, inner), qkv.bias.narrow(0, 2 * inner, inner));
        return proj.forward(v); // (B, 1, D)
      }
      Tensor qkvHeads =
          qkv.forward(x).view(b, t, 3, heads, headDim).permute(2, 0, 3, 1, 4); // (3, B, H, T, hd)
      Tensor out =
          sdpa(qkvHeads.select(0, 0), qkvHeads.select(0, 1), qkvHeads.select(0, 2), null, causal);
      return proj.forward(out.transpose(1, 2).reshape(b, t, heads * headDim)); // (B, T, D)
    }
  }

  /** The transformer MLP {@code fc2(GELU(fc1(x)))}, as timm's {@code Mlp}. */
  public static final class Mlp extends Module {
    public final Linear fc1; // (D) → (hidden)
    public final Linear fc2; // (hidden) → (D)

    public Mlp(long dim, long hidden) {
      this.fc1 = child("fc1", new Linear(dim, hidden));
      this.fc2 = child("fc2", new Linear(hidden, dim));
    }

    /** (…, D) → (…, D). */
    public Tensor forward(Tensor x) {
      return fc2.forward(Ops.gelu(fc1.forward(x)));
    }
  }
}
