package dev.strata.tasks.sequence;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Multi-query associative recall (Zoology: Arora et al. 2023, "Zoology: Measuring and Improving
 * Recall in Efficient Language Models", §3; generator {@code multiquery_ar}), reproduced exactly:
 *
 * <ul>
 *   <li>K distinct keys from [1, V/2) and K distinct values from [V/2, V) (drawn without
 *       replacement) open the sequence as {@code k₁ v₁ k₂ v₂ … k_K v_K} (2K tokens);
 *   <li>the remaining T − 2K positions hold the K queries: key j is placed at offset 2·g_j of that
 *       region, with the gaps g_j drawn without replacement from [0, (T − 2K)/2) with probability ∝
 *       a·i^(a−1) at i = g + 1 (a power law with a = 0.01, so most queries come soon after the
 *       context and a few far from it);
 *   <li>every other position holds a uniformly random token of [0, V);
 *   <li>the only scored positions are the queries, whose target is the value bound to the key.
 * </ul>
 *
 * Every query's key therefore appears exactly once before it, in the context, right before its
 * value. Paper setting: V = 8192, (T, K) ∈ {(64,4), (128,8), (256,16), (512,64)}.
 *
 * @param vocab V, even (keys take the lower half, values the upper)
 * @param length T, at least 4·K (the context and K queries on even offsets of the query region)
 * @param pairs K, key-value pairs per sequence (each queried once)
 * @param powerA a of the gap distribution (Zoology: 0.01)
 */
public record Mqar(int vocab, int length, int pairs, double powerA) implements SequenceTask {
  /** Zoology's exponent of the query-gap power law. */
  public static final double POWER_A = 0.01;

  public Mqar {
    if (pairs <= 0)
      throw new IllegalArgumentException("MQAR needs at least one key-value pair, got " + pairs);
    if (length < 4L * pairs) {
      throw new IllegalArgumentException(
          "MQAR sequence length "
              + length
              + " is shorter than the "
              + 4L * pairs
              + " tokens that "
              + pairs
              + " key-value pairs and their queries need (length ≥ 4·pairs)");
    }
    if (vocab % 2 != 0 || vocab / 2 - 1 < pairs) {
      throw new IllegalArgumentException(
          "MQAR vocabulary "
              + vocab
              + " must be even with at least "
              + pairs
              + " keys in [1, V/2) for "
              + pairs
              + " pairs");
    }
    if (!(powerA > 0 && powerA <= 1))
      throw new IllegalArgumentException(
          "MQAR power-law exponent must lie in (0, 1], got " + powerA);
  }

  /** Zoology's gaps (a = 0.01). */
  public Mqar(int vocab, int length, int pairs) {
    this(vocab, length, pairs, POWER_A);
  }

  @Override
  public String name() {
    return "mqar";
  }

  @Override
  public int maxLength() {
    return length;
  }

  /** First value id: keys are [1, V/2), values [V/2, V). */
  public int firstValue() {
    return vocab / 2;
  }

  /** Number of even offsets of the query region on which queries may sit: (T − 2K)/2. */
  public int querySlots() {
    return (length - 2 * pairs) / 2;
  }

  @Override
  public Example example(SplittableRandom rng) {
    int k = pairs;
    int[] keys = distinct(rng, 1, firstValue(), k);
    int[] values = distinct(rng, firstValue(), vocab, k);
    int[] gaps = powerLawGaps(rng);
    long[] in = new long[length];
    long[] target = new long[length];
    boolean[] mask = new boolean[length];
    boolean[] placed = new boolean[length];
    for (int j = 0; j < k; j++) {
      in[2 * j] = keys[j];
      in[2 * j + 1] = values[j];
      placed[2 * j] = placed[2 * j + 1] = true;
    }
    for (int j = 0; j < k; j++) {
      int t = 2 * k + 2 * gaps[j];
      in[t] = keys[j];
      target[t] = values[j];
      mask[t] = true;
      placed[t] = true;
    }
    for (int t = 0; t < length; t++) if (!placed[t]) in[t] = rng.nextInt(vocab);
    return new Example(in, target, mask);
  }

  /**
   * K distinct gaps of [0, querySlots()), drawn one by one without replacement with weights
   * a·i^(a−1), i = g + 1.
   */
  int[] powerLawGaps(SplittableRandom rng) {
    int slots = querySlots();
    double[] w = new double[slots];
    double total = 0;
    for (int g = 0; g < slots; g++) total += w[g] = powerA * Math.pow(g + 1, powerA - 1);
    int[] gaps = new int[pairs];
    for (int j = 0; j < pairs; j++) {
      double u = rng.nextDouble() * total;
      int g = 0;
      double acc = 0;
      for (; g < slots; g++) {
        if (w[g] == 0) continue;
        acc += w[g];
        if (u < acc) break;
      }
      if (g == slots) { // rounding at the top end: take the last one still free
        g = slots - 1;
        while (w[g] == 0) g--;
      }
      gaps[j] = g;
      total -= w[g];
      w[g] = 0;
    }
    return gaps;
  }

  /** n distinct ints of [lo, hi) in random order (a partial Fisher–Yates shuffle). */
  static int[] distinct(SplittableRandom rng, int lo, int hi, int n) {
    int[] pool = new int[hi - lo];
    for (int i = 0; i < pool.length; i++) pool[i] = lo + i;
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return Arrays.copyOf(pool, n);
  }
}
