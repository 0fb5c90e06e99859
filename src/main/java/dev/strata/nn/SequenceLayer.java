package dev.strata.nn;

/**
 * A residual layer over a sequence that can also continue one token at a time: attention keeps a KV
 * cache, an SSM keeps a fixed-size recurrent state. Hybrid stacks are lists of these.
 */
public interface SequenceLayer {
  /** Training / full-sequence path: (B, T, D) → (B, T, D), causal. */
  Tensor forward(Tensor x);

  /** An empty decode state for {@code batch} sequences of at most {@code maxLen} tokens. */
  LayerState newState(long batch, long maxLen);

  /**
   * Continues from {@code state}: (B, T, D) → (B, T, D) for the T tokens that follow what the state
   * has seen (a prefill when T &gt; 1, a decode step when T = 1), and advances the state. The
   * output equals the matching rows of {@link #forward(Tensor)} over the whole prefix.
   */
  Tensor forward(Tensor x, LayerState state);
}
