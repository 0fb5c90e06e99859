package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Model-predictive path integral control's update (Williams et al. 2017) as a search over
 * continuous candidates, the planner PLDM and EB-JEPA use on Two-Room. The first population comes
 * from the proposer (its prior); each later one is the mean plus Gaussian noise, x_i = μ + σ·ε_i.
 * Every iteration moves the mean to the softmin-weighted average of its population,
 *
 * <pre>  w_i = exp(−(E_i − min_j E_j) / λ) / Σ_k exp(−(E_k − min_j E_j) / λ),   μ ← Σ_i w_i x_i,
 * </pre>
 *
 * so every sample counts, in proportion to how good it is (CEM keeps only its elites, equally
 * weighted). Candidate 0 of every iteration is the current mean (zeros in the first). Returns the
 * best candidate seen.
 *
 * @param samples candidates per iteration
 * @param iterations updates of the mean
 * @param temperature λ &gt; 0: small follows the best sample, large averages them all
 * @param noise σ &gt; 0, the standard deviation of the samples around the mean
 * @param seed seed of the run's random source
 * @param dimension a problem's candidate length
 */
public record Mppi<P>(
    int samples,
    int iterations,
    double temperature,
    double noise,
    long seed,
    ToIntFunction<P> dimension)
    implements Search<P, float[]> {

  public Mppi {
    if (samples < 2 || iterations < 1 || !(temperature > 0) || !(noise > 0))
      throw new IllegalArgumentException(
          "MPPI needs ≥ 2 samples, ≥ 1 iteration, temperature > 0 and noise > 0, got "
              + samples
              + "/"
              + iterations
              + "/"
              + temperature
              + "/"
              + noise);
  }

  /** A budget that lets the search run all its iterations. */
  public Budget fullBudget() {
    return Budget.proposals((long) samples * iterations, Double.NEGATIVE_INFINITY);
  }

  @Override
  public Outcome<float[]> run(
      P problem, Proposer<P, float[]> proposer, Energy<P, float[]> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, float[]> meter = new BudgetMeter<>(budget);
    int dim = dimension.applyAsInt(problem);
    float[] mean = new float[dim];
    for (int it = 0; it < iterations && !meter.shouldStop(); it++) {
      int n = (int) Math.min(samples, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
      List<float[]> population;
      if (it == 0) {
        population = new ArrayList<>(proposer.propose(problem, n, rng));
      } else {
        population = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          float[] x = new float[dim];
          for (int j = 0; j < dim; j++) x[j] = mean[j] + (float) (noise * rng.nextGaussian());
          population.add(x);
        }
      }
      population.set(0, mean.clone()); // candidate 0 is the current mean
      meter.chargeProposals(population.size());
      float[] e = meter.score(energy, problem, population);
      mean = softminAverage(population, e, temperature);
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }

  /** Σ_i w_i x_i with w = softmax(−E / λ), computed stably from the minimum energy. */
  static float[] softminAverage(List<float[]> population, float[] energies, double temperature) {
    float min = Float.POSITIVE_INFINITY;
    for (float e : energies) min = Math.min(min, e);
    double[] w = new double[energies.length];
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.exp(-(energies[i] - min) / temperature);
      total += w[i];
    }
    int dim = population.get(0).length;
    double[] m = new double[dim];
    for (int i = 0; i < w.length; i++) {
      float[] x = population.get(i);
      for (int j = 0; j < dim; j++) m[j] += w[i] / total * x[j];
    }
    float[] out = new float[dim];
    for (int j = 0; j < dim; j++) out[j] = (float) m[j];
    return out;
  }
}
