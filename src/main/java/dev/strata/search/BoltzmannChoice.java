package dev.strata.search;

import dev.strata.propose.RandomSource;

/**
 * Draws an index with probability ∝ exp(−E_i/τ), the resampling step shared by Gibbs moves and
 * importance resampling.
 */
final class BoltzmannChoice {
  private BoltzmannChoice() {}

  static int pick(float[] energies, double temperature, RandomSource rng) {
    return rng.boltzmann(
        energies, temperature); // one implementation, shared with EDLM's resampling
  }
}
