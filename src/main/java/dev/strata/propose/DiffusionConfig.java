package dev.strata.propose;

/**
 * Shape and corruption of a {@link MaskedDiffusionLm}: a bidirectional Transformer (pre-norm blocks
 * with rotary positions, no causal mask) over {@code vocab} token ids plus one mask id ({@code
 * vocab} itself).
 *
 * @param vocab number of clean token ids V; the mask id is V, so the embedding has V + 1 rows
 * @param dModel residual width
 * @param depth Transformer blocks
 * @param heads attention heads
 * @param context training sequence length
 * @param dropout residual and attention dropout while training (0 = none)
 * @param editFraction LLaDA 2.1's editing variant: the fraction of the unmasked tokens replaced by
 *     uniformly random tokens during training, with the loss on those positions too and no
 *     copy-through (0 = a plain MDLM with SUBS, whose decoded tokens can never be edited)
 */
public record DiffusionConfig(
    int vocab, int dModel, int depth, int heads, int context, double dropout, double editFraction) {

  public DiffusionConfig {
    if (vocab <= 1) throw new IllegalArgumentException("vocab must be at least 2, got " + vocab);
    if (dModel <= 0 || depth <= 0 || heads <= 0) {
      throw new IllegalArgumentException(
          "width, depth and heads must be positive, got " + dModel + ", " + depth + ", " + heads);
    }
    if (dModel % heads != 0 || (dModel / heads) % 2 != 0) {
      throw new IllegalArgumentException(
          "width "
              + dModel
              + " must split into heads ("
              + heads
              + ") of even size (rotary positions)");
    }
    if (context <= 0)
      throw new IllegalArgumentException("context must be positive, got " + context);
    if (dropout < 0 || dropout >= 1)
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    if (editFraction < 0 || editFraction >= 1) {
      throw new IllegalArgumentException("edit fraction must be in [0, 1), got " + editFraction);
    }
  }

  /** The mask token's id. */
  public int maskId() {
    return vocab;
  }

  /** Whether the model is trained to edit (LLaDA 2.1): no copy-through of unmasked tokens. */
  public boolean editing() {
    return editFraction > 0;
  }

  public DiffusionConfig withEditFraction(double f) {
    return new DiffusionConfig(vocab, dModel, depth, heads, context, dropout, f);
  }

  public DiffusionConfig withContext(int c) {
    return new DiffusionConfig(vocab, dModel, depth, heads, c, dropout, editFraction);
  }

  /**
   * The CPU configuration: the foundation's character Transformer (d 128, 4 blocks, 4 heads) made
   * bidirectional.
   */
  public static DiffusionConfig cpu(int vocab, int context) {
    return new DiffusionConfig(vocab, 128, 4, 4, context, 0, 0);
  }

  /** A tiny configuration for tests. */
  public static DiffusionConfig tiny(int vocab, int context) {
    return new DiffusionConfig(vocab, 32, 2, 2, context, 0, 0);
  }
}
