package dev.strata.tasks.sequence;

import java.util.SplittableRandom;

/**
 * Induction heads (Olsson et al. 2022; the synthetic setting of Mamba: Gu &amp; Dao 2023, §4.1.2
 * and App. E.1.2 — vocabulary 16, trained at length 256, tested up to 2^20): recall the token that
 * followed a trigger the last time the trigger appeared.
 *
 * <ul>
 *   <li>token V − 1 is the trigger; every other position holds a uniformly random content token of
 *       [0, V − 1);
 *   <li>the trigger appears exactly twice: once at a uniformly random position p ∈ [0, T − 3],
 *       followed by a content token (the answer), and once at the last position T − 1;
 *   <li>the only scored position is T − 1, whose target is the token at p + 1.
 * </ul>
 *
 * @param vocab V (≥ 3: the trigger and at least two content tokens)
 * @param length T (≥ 3)
 */
public record InductionHeads(int vocab, int length) implements SequenceTask {
  public InductionHeads {
    if (vocab < 3)
      throw new IllegalArgumentException(
          "induction heads needs a vocabulary of at least 3, got " + vocab);
    if (length < 3)
      throw new IllegalArgumentException(
          "induction-heads sequences need at least 3 tokens, got " + length);
  }

  @Override
  public String name() {
    return "induction";
  }

  @Override
  public int maxLength() {
    return length;
  }

  /** The trigger token id, V − 1. */
  public int trigger() {
    return vocab - 1;
  }

  /** The same task at another length (length generalisation). */
  public InductionHeads withLength(int t) {
    return new InductionHeads(vocab, t);
  }

  @Override
  public Example example(SplittableRandom rng) {
    long[] in = new long[length];
    for (int t = 0; t < length; t++) in[t] = rng.nextInt(vocab - 1);
    int p = rng.nextInt(length - 2); // [0, T−3]: the answer at p+1 ≤ T−2 precedes the final trigger
    in[p] = trigger();
    in[length - 1] = trigger();
    long[] target = new long[length];
    boolean[] mask = new boolean[length];
    target[length - 1] = in[p + 1];
    mask[length - 1] = true;
    return new Example(in, target, mask);
  }
}
