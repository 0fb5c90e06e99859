package dev.strata.energy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hard form of a learned pairwise energy: the number of pairs of assignments whose learned
 * weight exceeds the calibrated conflict threshold τ, E_τ(y) = #{i &lt; j : W_ij[y_i, y_j] &gt; τ}
 * + #{i : U_i[x_i, y_i] &gt; τ}. Zero means "no pair the model learned to be impossible" — an
 * absolute acceptance test, which the soft energy lacks (ranking losses fix energies only up to a
 * per-problem offset, so a raw threshold does not carry across problems). Read off the same weights
 * the search layer's {@code LearnedPairPropagator} prunes with; no rule is consulted.
 */
public final class LearnedConflicts<P, X> implements Energy<P, X> {
  private final PairwiseTables tables;
  private final float threshold;
  private final LearnedEnergy.Encoder<P, X> encoder;

  public LearnedConflicts(
      PairwiseTables tables, float threshold, LearnedEnergy.Encoder<P, X> encoder) {
    this.tables = tables;
    this.threshold = threshold;
    this.encoder = encoder;
  }

  @Override
  public float[] energies(P problem, List<X> candidates) {
    float[] out = new float[candidates.size()];
    long[] x = encoder.problem(problem);
    for (int c = 0; c < out.length; c++) {
      int[] counts = counts(x, encoder.candidate(problem, candidates.get(c)));
      out[c] = counts[0] + counts[1];
    }
    return out;
  }

  /** {pair conflicts, unary conflicts} of one candidate's tokens (0 = open site). */
  private int[] counts(long[] x, long[] y) {
    int t = tables.config().length();
    int pairs = 0;
    int unary = 0;
    for (int i = 0; i < t; i++) {
      if (y[i] == 0) continue;
      if (tables.unary(i, (int) x[i], (int) y[i]) > threshold) unary++;
      for (int j = i + 1; j < t; j++)
        if (y[j] != 0 && tables.pair(i, (int) y[i], j, (int) y[j]) > threshold) pairs++;
    }
    return new int[] {pairs, unary};
  }

  @Override
  public Breakdown explain(P problem, X candidate) {
    long[] y = encoder.candidate(problem, candidate);
    int[] counts = counts(encoder.problem(problem), y);
    int[] values = new int[y.length];
    for (int i = 0; i < y.length; i++) values[i] = (int) y[i];
    Map<String, Float> terms = new LinkedHashMap<>();
    terms.put("learned pair conflicts", (float) counts[0]);
    terms.put("learned clue conflicts", (float) counts[1]);
    terms.put(
        "soft learned energy (not summed)",
        (float) tables.energy(encoder.problem(problem), values));
    return new Breakdown(counts[0] + counts[1], terms);
  }
}
