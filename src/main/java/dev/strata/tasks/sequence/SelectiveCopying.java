package dev.strata.tasks.sequence;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Selective copying (Mamba: Gu &amp; Dao 2023, §3.1 and Table 1; App. E.1.1 — length 4096, 16
 * tokens to copy, vocabulary 16): remember the data tokens scattered among noise and reproduce them
 * in order, which needs content-aware (selective) memory rather than fixed time offsets.
 *
 * <ul>
 *   <li>token 0 is noise, token V − 1 the marker, data tokens are [1, V − 1);
 *   <li>the first L positions are noise except K distinct random positions, which hold random data
 *       tokens d₁ … d_K in order of position;
 *   <li>K markers follow; the scored positions are those markers, the target at the k-th marker
 *       (position L + k − 1) being d_k.
 * </ul>
 *
 * @param vocab V (≥ 3)
 * @param context L, the noisy stretch holding the data tokens
 * @param tokens K, data tokens to copy (≤ L)
 */
public record SelectiveCopying(int vocab, int context, int tokens) implements SequenceTask {
  public static final int NOISE = 0;

  public SelectiveCopying {
    if (vocab < 3)
      throw new IllegalArgumentException(
          "selective copying needs a vocabulary of at least 3, got " + vocab);
    if (tokens <= 0 || context < tokens) {
      throw new IllegalArgumentException(
          "selective copying needs 1 ≤ tokens ≤ context, got " + tokens + " tokens in " + context);
    }
  }

  @Override
  public String name() {
    return "selcopy";
  }

  @Override
  public int maxLength() {
    return context + tokens;
  }

  /** The marker token id, V − 1. */
  public int marker() {
    return vocab - 1;
  }

  @Override
  public Example example(SplittableRandom rng) {
    int n = maxLength();
    int[] positions = Mqar.distinct(rng, 0, context, tokens);
    Arrays.sort(positions);
    long[] in = new long[n];
    long[] target = new long[n];
    boolean[] mask = new boolean[n];
    for (int k = 0; k < tokens; k++) {
      long d = 1 + rng.nextInt(vocab - 2);
      in[positions[k]] = d;
      int q = context + k;
      in[q] = marker();
      target[q] = d;
      mask[q] = true;
    }
    return new Example(in, target, mask);
  }
}
