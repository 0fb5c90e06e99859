package dev.strata.search;

import java.util.Arrays;
import java.util.List;

/** The population arithmetic the sampling planners share (CEM, iCEM, MPPI). */
final class Elites {
  private Elites() {}

  /** Indexes of the candidates in ascending energy. */
  static Integer[] order(float[] energies) {
    Integer[] order = new Integer[energies.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(energies[a], energies[b]));
    return order;
  }

  /**
   * Mean and (population) standard deviation of the {@code k} lowest-energy candidates, written
   * into {@code mean} and {@code std}.
   */
  static void fit(List<float[]> population, float[] energies, int k, float[] mean, float[] std) {
    Integer[] order = order(energies);
    k = Math.min(k, order.length);
    int dim = mean.length;
    double[] m = new double[dim], v = new double[dim];
    for (int r = 0; r < k; r++) {
      float[] x = population.get(order[r]);
      for (int j = 0; j < dim; j++) m[j] += x[j];
    }
    for (int j = 0; j < dim; j++) m[j] /= k;
    for (int r = 0; r < k; r++) {
      float[] x = population.get(order[r]);
      for (int j = 0; j < dim; j++) v[j] += (x[j] - m[j]) * (x[j] - m[j]);
    }
    for (int j = 0; j < dim; j++) {
      mean[j] = (float) m[j];
      std[j] = (float) Math.sqrt(v[j] / k);
    }
  }
}
