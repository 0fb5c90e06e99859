package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * iCEM (Pinneri et al. 2020, "Sample-efficient cross-entropy method for real-time planning"): CEM
 * with three changes that let it plan with fewer samples —
 *
 * <ul>
 *   <li><b>colored noise</b>: samples are μ + σ ⊙ ε with ε drawn by {@link ColoredNoise} along the
 *       plan's time axis (a candidate is {@code steps × actionDim} values, time-major), so
 *       consecutive actions are correlated;
 *   <li><b>elites kept</b>: a fraction of the previous iteration's elites joins the next population
 *       (re-scored with it), so the best plan found is never lost from the fit;
 *   <li><b>shrinking population</b>: iteration i draws max(⌊N·γ^(−i)⌋, 2K) new samples.
 * </ul>
 *
 * The first iteration's population comes from the proposer (its prior, taken to be N(0, 1) per
 * coordinate, as in {@link CrossEntropyMethod}); candidate 0 of every iteration is the current
 * mean. The mean and standard deviation are refit to the K elites each iteration. Returns the best
 * candidate seen.
 *
 * @param samples N, new candidates in the first iteration
 * @param elites K, candidates the Gaussian is refit to
 * @param iterations iterations
 * @param colorExponent β of the noise's 1/f^β spectrum (0: white; the paper uses 2–3.5)
 * @param keepFraction share of the K elites carried into the next population (the paper: 0.3)
 * @param populationDecay γ ≥ 1 (the paper: 1.25)
 * @param actionDim values per time step (the plan's time axis is candidate length / actionDim)
 * @param seed seed of the run's random source
 * @param dimension a problem's candidate length
 */
public record ImprovedCrossEntropyMethod<P>(
    int samples,
    int elites,
    int iterations,
    double colorExponent,
    double keepFraction,
    double populationDecay,
    int actionDim,
    long seed,
    ToIntFunction<P> dimension)
    implements Search<P, float[]> {

  public ImprovedCrossEntropyMethod {
    if (samples < 2 || elites < 1 || elites > samples || iterations < 1)
      throw new IllegalArgumentException(
          "iCEM needs 1 ≤ elites ≤ samples and ≥ 1 iteration, got "
              + samples
              + "/"
              + elites
              + "/"
              + iterations);
    if (colorExponent < 0 || keepFraction < 0 || keepFraction > 1 || populationDecay < 1)
      throw new IllegalArgumentException(
          "iCEM needs β ≥ 0, a kept fraction in [0, 1] and a population decay ≥ 1, got "
              + colorExponent
              + "/"
              + keepFraction
              + "/"
              + populationDecay);
    if (actionDim < 1) throw new IllegalArgumentException("actionDim must be ≥ 1");
  }

  /** New samples drawn in iteration {@code i}: max(⌊N·γ^(−i)⌋, 2K). */
  public int populationAt(int i) {
    return Math.max((int) Math.floor(samples * Math.pow(populationDecay, -i)), 2 * elites);
  }

  /** A budget that lets the search run all its iterations, kept elites included. */
  public Budget fullBudget() {
    long n = 0;
    int kept = (int) Math.floor(keepFraction * elites);
    for (int i = 0; i < iterations; i++) n += populationAt(i) + (i > 0 ? kept : 0);
    return Budget.proposals(n, Double.NEGATIVE_INFINITY);
  }

  @Override
  public Outcome<float[]> run(
      P problem, Proposer<P, float[]> proposer, Energy<P, float[]> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, float[]> meter = new BudgetMeter<>(budget);
    int dim = dimension.applyAsInt(problem);
    if (dim % actionDim != 0)
      throw new IllegalArgumentException(
          "a candidate of " + dim + " values is not whole steps of " + actionDim);
    ColoredNoise noise = new ColoredNoise(colorExponent, dim / actionDim);
    float[] mean = new float[dim];
    float[] std = new float[dim];
    Arrays.fill(std, 1f);
    List<float[]> kept = List.of();
    float[] eps = new float[dim];
    for (int it = 0; it < iterations && !meter.shouldStop(); it++) {
      long left = Math.min(meter.proposalsLeft(), meter.evaluationsLeft());
      int n = (int) Math.min(populationAt(it) + kept.size(), left);
      List<float[]> population = new ArrayList<>(n);
      for (int i = 0; i < kept.size() && population.size() < n; i++) population.add(kept.get(i));
      int fresh = n - population.size();
      if (it == 0) {
        population.addAll(proposer.propose(problem, fresh, rng));
      } else {
        for (int i = 0; i < fresh; i++) {
          noise.sample(rng, eps, actionDim);
          float[] x = new float[dim];
          for (int j = 0; j < dim; j++) x[j] = mean[j] + std[j] * eps[j];
          population.add(x);
        }
      }
      if (population.isEmpty()) break;
      population.set(population.size() - 1, mean.clone()); // the current mean is always tried
      meter.chargeProposals(population.size());
      float[] e = meter.score(energy, problem, population);
      Elites.fit(population, e, elites, mean, std);
      Integer[] order = Elites.order(e);
      int keep = Math.min((int) Math.floor(keepFraction * elites), order.length);
      List<float[]> next = new ArrayList<>(keep);
      for (int r = 0; r < keep; r++) next.add(population.get(order[r]));
      kept = next;
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }
}
