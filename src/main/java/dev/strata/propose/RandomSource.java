package dev.strata.propose;

import java.util.SplittableRandom;

/**
 * The one source of randomness handed to proposers and searches, so that a run is reproducible from
 * a single seed. Java-side choices draw from it directly; native sampling (libtorch's {@code
 * multinomial}) is seeded from {@link #nextSeed()} so both sides follow the same seed.
 */
public final class RandomSource {
  private final SplittableRandom random;

  public RandomSource(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private RandomSource(SplittableRandom random) {
    this.random = random;
  }

  /**
   * An independent stream, e.g. one per problem of a benchmark, so results do not depend on
   * evaluation order.
   */
  public RandomSource split() {
    return new RandomSource(random.split());
  }

  /** A fresh seed for a native generator. */
  public long nextSeed() {
    return random.nextLong();
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public double nextDouble() {
    return random.nextDouble();
  }

  public double nextGaussian() {
    return random.nextGaussian();
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  /**
   * An index drawn with probability ∝ exp(−E_i/τ) (weights shifted by the minimum energy, so
   * nothing overflows): the resampling step of Gibbs moves, importance resampling and EDLM. Lower
   * energy is likelier.
   */
  public int boltzmann(double[] energies, double temperature) {
    if (!(temperature > 0))
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    double min = Double.POSITIVE_INFINITY;
    for (double v : energies) min = Math.min(min, v);
    double[] w = new double[energies.length];
    double total = 0;
    for (int i = 0; i < energies.length; i++)
      total += w[i] = Math.exp(-(energies[i] - min) / temperature);
    double u = nextDouble() * total;
    for (int i = 0; i < energies.length; i++) {
      u -= w[i];
      if (u <= 0) return i;
    }
    return energies.length - 1;
  }

  /** {@link #boltzmann(double[], double)} for float energies. */
  public int boltzmann(float[] energies, double temperature) {
    double[] e = new double[energies.length];
    for (int i = 0; i < e.length; i++) e[i] = energies[i];
    return boltzmann(e, temperature);
  }
}
