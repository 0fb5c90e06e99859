package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The cross-entropy method over continuous candidates (Rubinstein 1999): the first population comes
 * from the proposer (its prior, taken to be N(0, 1) per coordinate), later ones from a diagonal
 * Gaussian refit each iteration to the {@code elites} lowest-energy candidates; candidate 0 of
 * every iteration is the current mean (zeros in the first). The energy scores a whole population in
 * one batched call. Stops after {@code iterations}, or earlier when the budget is spent or a
 * candidate's energy reaches the budget's threshold. Returns the best candidate seen.
 *
 * @param samples candidates per iteration
 * @param elites candidates the Gaussian is refit to
 * @param iterations CEM iterations
 * @param seed seed of the run's random source
 * @param dimension a problem's candidate length
 */
public record CrossEntropyMethod<P>(
    int samples, int elites, int iterations, long seed, ToIntFunction<P> dimension)
    implements Search<P, float[]> {

  public CrossEntropyMethod {
    if (samples < 2 || elites < 1 || elites > samples || iterations < 1) {
      throw new IllegalArgumentException(
          "CEM needs 1 ≤ elites ≤ samples and ≥ 1 iteration, got "
              + samples
              + "/"
              + elites
              + "/"
              + iterations);
    }
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
    float[] std = new float[dim];
    Arrays.fill(std, 1f);
    for (int it = 0; it < iterations && !meter.shouldStop(); it++) {
      int n = (int) Math.min(samples, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
      List<float[]> population;
      if (it == 0) {
        population = new ArrayList<>(proposer.propose(problem, n, rng));
      } else {
        population = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          float[] x = new float[dim];
          for (int j = 0; j < dim; j++) x[j] = mean[j] + std[j] * (float) rng.nextGaussian();
          population.add(x);
        }
      }
      population.set(0, mean.clone()); // candidate 0 is the current mean
      meter.chargeProposals(population.size());
      float[] e = meter.score(energy, problem, population);
      Elites.fit(population, e, elites, mean, std);
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }
}
