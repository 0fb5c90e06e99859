package dev.strata.tasks.sequence;

import java.util.SplittableRandom;

/**
 * Copying (Jelassi et al. 2024, "Repeat After Me: Transformers are Better than State Space Models
 * at Copying", §3): read a random string, then repeat it. A fixed-size state must fail once the
 * string outgrows it; attention can look the string up.
 *
 * <ul>
 *   <li>letters are [0, A); token A is BOS, token A + 1 the copy separator;
 *   <li>a string s₁ … s_n of uniformly random letters, n uniform in [minLength, maxLength];
 *   <li>inputs {@code BOS s₁ … s_n SEP s₁ … s_{n−1}} (2n + 1 tokens, the copy teacher-forced); the
 *       scored positions are SEP and the copy, predicting s₁ … s_n.
 * </ul>
 *
 * Teacher-forced exact match equals greedy-decoding exact match: greedy decoding reproduces the
 * string if and only if every teacher-forced prediction is right.
 *
 * @param alphabet A (≥ 2)
 * @param minLength shortest string (≥ 1)
 * @param maxLength longest string
 */
public record Copying(int alphabet, int minLength, int maxLength) implements SequenceTask {
  public Copying {
    if (alphabet < 2)
      throw new IllegalArgumentException(
          "copying needs an alphabet of at least 2 letters, got " + alphabet);
    if (minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException(
          "copying needs 1 ≤ minLength ≤ maxLength, got " + minLength + ".." + maxLength);
    }
  }

  /** Strings of exactly {@code n} letters. */
  public static Copying ofLength(int alphabet, int n) {
    return new Copying(alphabet, n, n);
  }

  @Override
  public String name() {
    return "copy";
  }

  @Override
  public int vocab() {
    return alphabet + 2;
  }

  public int bos() {
    return alphabet;
  }

  public int separator() {
    return alphabet + 1;
  }

  @Override
  public int maxLength() {
    return 2 * maxLength + 1;
  }

  @Override
  public Example example(SplittableRandom rng) {
    int n = minLength + rng.nextInt(maxLength - minLength + 1);
    long[] s = new long[n];
    for (int i = 0; i < n; i++) s[i] = rng.nextInt(alphabet);
    int len = 2 * n + 1;
    long[] in = new long[len];
    long[] target = new long[len];
    boolean[] mask = new boolean[len];
    in[0] = bos();
    System.arraycopy(s, 0, in, 1, n);
    in[n + 1] = separator();
    System.arraycopy(s, 0, in, n + 2, n - 1);
    for (int i = 0; i < n; i++) {
      target[n + 1 + i] = s[i];
      mask[n + 1 + i] = true;
    }
    return new Example(in, target, mask);
  }
}
