package dev.strata.search;

import dev.strata.propose.RandomSource;

/** Draws an index with probability ∝ exp(−E_i/τ), the resampling step shared by Gibbs moves and importance resampling. */
final class BoltzmannChoice {
    private BoltzmannChoice() {}

    static int pick(float[] energies, double temperature, RandomSource rng) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : energies) min = Math.min(min, v);
        double[] w = new double[energies.length];
        double total = 0;
        for (int i = 0; i < energies.length; i++) total += w[i] = Math.exp(-(energies[i] - min) / temperature); // shifted by min: no overflow
        double u = rng.nextDouble() * total;
        for (int i = 0; i < energies.length; i++) {
            u -= w[i];
            if (u <= 0) return i;
        }
        return energies.length - 1;
    }
}
