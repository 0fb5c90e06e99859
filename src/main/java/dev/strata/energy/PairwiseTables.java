package dev.strata.energy;

/**
 * A {@link PairwiseEnergyNet}'s weights as flat arrays, so a search can price one assignment
 * without a forward pass.
 *
 * @param unary (T·C, K) row-major: unary[(i·C + x_i)·K + v − 1] = U_i[x_i, v]
 * @param pair (T·K, T·K) row-major, symmetric, zero within a site
 */
public record PairwiseTables(PairwiseEnergyConfig config, float[] unary, float[] pair) {

  /** Row of (site, value) in the pair table; values are 1..K. */
  public int unit(int site, int value) {
    return site * config.values() + value - 1;
  }

  /** W_ij[v, w]. */
  public float pair(int i, int v, int j, int w) {
    return pair[unit(i, v) * config.units() + unit(j, w)];
  }

  /** U_i[x, v]. */
  public float unary(int i, int x, int v) {
    return unary[(i * config.conditionVocab() + x) * config.values() + v - 1];
  }

  /**
   * The energy of a (possibly partial: 0 = open) assignment — the same number the net's forward
   * gives.
   */
  public double energy(long[] problem, int[] values) {
    double e = 0;
    int t = config.length();
    for (int i = 0; i < t; i++) {
      if (values[i] == 0) continue;
      e += unary(i, (int) problem[i], values[i]);
      for (int j = i + 1; j < t; j++) if (values[j] != 0) e += pair(i, values[i], j, values[j]);
    }
    return e;
  }
}
