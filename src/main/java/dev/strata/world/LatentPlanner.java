package dev.strata.world;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.BudgetMeter;
import dev.strata.search.Outcome;
import dev.strata.search.Search;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cross-entropy method over action plans in latent space (Rubinstein 1999; LeWM's planner): the
 * first population comes from the proposer (the N(0, 1) prior), later ones from a Gaussian refit
 * each iteration to the {@code elites} lowest-energy plans; candidate 0 of every iteration is the
 * current mean. The energy (e.g. {@link LatentGoalEnergy}) scores a whole population in one batched
 * call. Stops after {@code iterations}, or earlier when the budget is spent or a plan's energy
 * reaches the budget's threshold. Returns the best plan seen.
 *
 * @param samples plans per iteration (LeWM: 300)
 * @param elites plans the Gaussian is refit to (30)
 * @param iterations CEM iterations (30)
 * @param seed seed of the run's random source
 */
public record LatentPlanner(int samples, int elites, int iterations, long seed)
    implements Search<PlanProblem, float[]> {

  public LatentPlanner {
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

  /** The spec's planner: 300 samples, 30 elites, 30 iterations. */
  public static LatentPlanner paper(long seed) {
    return new LatentPlanner(300, 30, 30, seed);
  }

  /** A budget that lets the planner run all its iterations. */
  public Budget fullBudget() {
    return Budget.proposals((long) samples * iterations, Double.NEGATIVE_INFINITY);
  }

  @Override
  public Outcome<float[]> run(
      PlanProblem problem,
      Proposer<PlanProblem, float[]> proposer,
      Energy<PlanProblem, float[]> energy,
      Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<PlanProblem, float[]> meter = new BudgetMeter<>(budget);
    int dim = problem.planDim();
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
          float[] plan = new float[dim];
          for (int j = 0; j < dim; j++) plan[j] = mean[j] + std[j] * (float) rng.nextGaussian();
          population.add(plan);
        }
      }
      population.set(0, mean.clone()); // candidate 0 is the current mean
      meter.chargeProposals(population.size());
      float[] e = meter.score(energy, problem, population);
      refit(population, e, mean, std);
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }

  /** Mean and (population) standard deviation of the elites, in place. */
  private void refit(List<float[]> population, float[] energies, float[] mean, float[] std) {
    Integer[] order = new Integer[energies.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(energies[a], energies[b]));
    int k = Math.min(elites, order.length);
    int dim = mean.length;
    double[] m = new double[dim], v = new double[dim];
    for (int r = 0; r < k; r++) {
      float[] p = population.get(order[r]);
      for (int j = 0; j < dim; j++) m[j] += p[j];
    }
    for (int j = 0; j < dim; j++) m[j] /= k;
    for (int r = 0; r < k; r++) {
      float[] p = population.get(order[r]);
      for (int j = 0; j < dim; j++) v[j] += (p[j] - m[j]) * (p[j] - m[j]);
    }
    for (int j = 0; j < dim; j++) {
      mean[j] = (float) m[j];
      std[j] = (float) Math.sqrt(v[j] / k);
    }
  }
}
