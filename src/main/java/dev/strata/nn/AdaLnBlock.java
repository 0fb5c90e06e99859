package dev.strata.nn;

import static dev.strata.nn.AdaLnZero.modulate;

/**
 * A transformer block conditioned by adaLN-Zero (Peebles &amp; Xie 2023, DiT block), as LeWM's
 * predictor uses with the action embedding as condition:
 *
 * <pre>
 *   shift₁, scale₁, gate₁, shift₂, scale₂, gate₂ = Linear(SiLU(c))
 *   x ← x + gate₁ · attn(norm(x)·(1 + scale₁) + shift₁)      (causal over time)
 *   x ← x + gate₂ · mlp(norm(x)·(1 + scale₂) + shift₂)
 * </pre>
 *
 * with parameter-free LayerNorms (ε = 1e-6). The modulation starts at zero, so the block is the
 * identity at init. Names follow DiT: {@code attn.qkv}, {@code attn.proj}, {@code mlp.fc1}, {@code
 * mlp.fc2}, {@code adaLN_modulation.1}.
 */
public final class AdaLnBlock extends Module {
  private static final double NORM_EPS = 1e-6;

  public final long dim;
  public final double dropout;
  public final boolean causal;
  public final VitBlock.Attention attn;
  public final VitBlock.Mlp mlp;
  public final AdaLnZero adaLnModulation;

  /**
   * @param heads × {@code headDim} is the attention's inner width (LeWM: 16 × 64 on width 192)
   * @param condDim width of the conditioning vector c
   * @param dropout applied to the attention and MLP outputs in training mode (LeWM: 0.1)
   * @param causal token t attends only to tokens ≤ t (time-causal prediction)
   */
  public AdaLnBlock(
      long dim,
      long heads,
      long headDim,
      long mlpHidden,
      long condDim,
      double dropout,
      boolean causal) {
    this.dim = dim;
    this.dropout = dropout;
    this.causal = causal;
    this.attn = child("attn", new VitBlock.Attention(dim, heads, headDim));
    this.mlp = child("mlp", new VitBlock.Mlp(dim, mlpHidden));
    this.adaLnModulation = child("adaLN_modulation", new AdaLnZero(condDim, dim, 6));
  }

  /**
   * A causal block without dropout, conditioned on vectors of the model width, heads of width
   * dim/heads.
   */
  public AdaLnBlock(long dim, long heads, long mlpHidden) {
    this(dim, heads, dim / heads, mlpHidden, dim, 0.0, true);
  }

  /**
   * (B, T, D) tokens, conditioned per token by c (B, T, condDim) or per sequence by c (B, condDim)
   * → (B, T, D).
   */
  public Tensor forward(Tensor x, Tensor c) {
    Tensor cond = c.dim() == 2 ? c.unsqueeze(1) : c; // (B, 1 or T, condDim): broadcasts over tokens
    Tensor[] m = adaLnModulation.forward(cond); // 6 × (B, 1 or T, D)
    Tensor h = attn.forward(modulate(norm(x), m[0], m[1]), causal);
    x = x.add(m[2].mul(Ops.dropout(h, dropout, isTraining())));
    h = mlp.forward(modulate(norm(x), m[3], m[4]));
    return x.add(m[5].mul(Ops.dropout(h, dropout, isTraining())));
  }

  private static Tensor norm(Tensor x) {
    return Ops.layerNorm(x, null, null, NORM_EPS);
  }
}
