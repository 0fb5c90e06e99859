package dev.strata.bench.anytime;

import dev.strata.propose.RandomSource;

/**
 * How a search's answer at a smaller budget is read off the evaluations of one longer run: the
 * index of the candidate the search returns when stopped after the first {@code budget}
 * evaluations, or −1 when it has none.
 */
@FunctionalInterface
public interface Readout {

  int pick(float[] energies, int budget, RandomSource rng);

  /**
   * The lowest energy among the first {@code budget} evaluations, the earliest on a tie: what every
   * search returns that keeps the best candidate it saw ({@code BudgetMeter.offer} keeps the first
   * of equal energies).
   */
  static Readout lowest() {
    return (e, budget, rng) -> {
      int n = Math.min(budget, e.length);
      int best = -1;
      for (int i = 0; i < n; i++) if (best < 0 || e[i] < e[best]) best = i;
      return best;
    };
  }

  /**
   * One of the first {@code budget} evaluations drawn with weight exp(−E/τ): what importance
   * resampling returns after drawing that many candidates (a fresh draw of the same distribution,
   * not the run's own draw).
   */
  static Readout boltzmann(double temperature) {
    return (e, budget, rng) -> {
      int n = Math.min(budget, e.length);
      return n == 0 ? -1 : rng.boltzmann(java.util.Arrays.copyOf(e, n), temperature);
    };
  }
}
