package dev.strata.nn;

import static dev.strata.nn.Ops.dropout;

/**
 * Pre-norm Transformer block (GPT-2; Xiong et al. 2020): {@code x + attn(ln1 x)}, then {@code x +
 * mlp(ln2 x)}. Its decode state is a {@link KvCache}.
 */
public final class TransformerBlock extends Module implements SequenceLayer {
  public final AttentionConfig config;
  public final LayerNorm ln1;
  public final MultiHeadAttention attn;
  public final LayerNorm ln2;
  public final FeedForward mlp; // Mlp (fc, proj) or SwiGlu (w1, w2, w3)

  public TransformerBlock(AttentionConfig config) {
    this.config = config;
    this.ln1 = child("ln1", new LayerNorm(config.dim(), config.bias(), 1e-5));
    this.attn = child("attn", new MultiHeadAttention(config));
    this.ln2 = child("ln2", new LayerNorm(config.dim(), config.bias(), 1e-5));
    this.mlp =
        config.swiGlu()
            ? child("mlp", new SwiGlu(config.dim(), config.mlpHidden(), config.bias()))
            : child("mlp", new Mlp(config.dim(), config.mlpHidden(), config.bias()));
  }

  /** (B, T, D) → (B, T, D); causal or bidirectional as configured. */
  @Override
  public Tensor forward(Tensor x) {
    return forwardMasked(x, null);
  }

  /**
   * As {@link #forward(Tensor)}, with an attention mask (see {@link
   * MultiHeadAttention#forwardMasked}).
   */
  public Tensor forwardMasked(Tensor x, Tensor mask) {
    Tensor h = x.add(residual(attn.forwardMasked(ln1.forward(x), mask)));
    return h.add(residual(mlp.forward(ln2.forward(h))));
  }

  @Override
  public KvCache newState(long batch, long maxLen) {
    return attn.newCache(batch, maxLen);
  }

  /**
   * (B, T, D) → (B, T, D) for the tokens after those in {@code state}, a {@link KvCache} from
   * {@link #newState}.
   */
  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!(state instanceof KvCache cache)) {
      throw new IllegalArgumentException(
          "a TransformerBlock decodes with the KvCache from its newState(), not "
              + (state == null ? "null" : state.getClass().getSimpleName()));
    }
    Tensor h = x.add(attn.forward(ln1.forward(x), cache));
    return h.add(mlp.forward(ln2.forward(h)));
  }

  private Tensor residual(Tensor branch) {
    return dropout(branch, config.dropout(), isTraining());
  }
}
