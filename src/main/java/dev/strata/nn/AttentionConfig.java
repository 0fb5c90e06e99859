package dev.strata.nn;

/**
 * Shape of a {@link TransformerBlock}: width, heads, feed-forward width and kind, whether attention
 * is causal and rotary, biases, and dropout (on attention weights and on both residual branches,
 * active only in training mode).
 *
 * <p>Start from {@link #causal} or {@link #bidirectional} and adjust with the {@code with…}
 * methods, e.g. {@code AttentionConfig.causal(128, 4).withSwiGlu(344).withBias(false)}.
 */
public record AttentionConfig(
    long dim,
    long heads,
    long mlpHidden,
    boolean rope,
    boolean causal,
    boolean swiGlu,
    boolean bias,
    double dropout) {

  public AttentionConfig {
    if (dim <= 0 || heads <= 0 || dim % heads != 0) {
      throw new IllegalArgumentException(
          "attention width " + dim + " must be a positive multiple of heads " + heads);
    }
    if (rope && (dim / heads) % 2 != 0) {
      throw new IllegalArgumentException(
          "RoPE needs an even head dimension, got " + dim + "/" + heads + " = " + dim / heads);
    }
    if (mlpHidden <= 0)
      throw new IllegalArgumentException("mlpHidden must be positive, got " + mlpHidden);
    if (dropout < 0 || dropout >= 1)
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
  }

  /** A decoder (GPT) block: causal, RoPE, GELU MLP of width 4·dim, biases, no dropout. */
  public static AttentionConfig causal(long dim, long heads) {
    return new AttentionConfig(dim, heads, 4 * dim, true, true, false, true, 0.0);
  }

  /**
   * An encoder (ViT, BERT) block: bidirectional, no RoPE, GELU MLP of width 4·dim, biases, no
   * dropout.
   */
  public static AttentionConfig bidirectional(long dim, long heads) {
    return new AttentionConfig(dim, heads, 4 * dim, false, false, false, true, 0.0);
  }

  public long headDim() {
    return dim / heads;
  }

  public AttentionConfig withRope(boolean on) {
    return new AttentionConfig(dim, heads, mlpHidden, on, causal, swiGlu, bias, dropout);
  }

  public AttentionConfig withCausal(boolean on) {
    return new AttentionConfig(dim, heads, mlpHidden, rope, on, swiGlu, bias, dropout);
  }

  /** A GELU MLP of the given hidden width. */
  public AttentionConfig withMlp(long hidden) {
    return new AttentionConfig(dim, heads, hidden, rope, causal, false, bias, dropout);
  }

  /** A SwiGLU feed-forward of the given hidden width (llama uses about 8/3·dim). */
  public AttentionConfig withSwiGlu(long hidden) {
    return new AttentionConfig(dim, heads, hidden, rope, causal, true, bias, dropout);
  }

  /** Biases in every Linear and LayerNorm of the block. */
  public AttentionConfig withBias(boolean on) {
    return new AttentionConfig(dim, heads, mlpHidden, rope, causal, swiGlu, on, dropout);
  }

  public AttentionConfig withDropout(double p) {
    return new AttentionConfig(dim, heads, mlpHidden, rope, causal, swiGlu, bias, p);
  }
}
