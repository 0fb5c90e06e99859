package dev.strata.world;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.search.Budget;
import dev.strata.search.CrossEntropyMethod;
import dev.strata.search.ImprovedCrossEntropyMethod;
import dev.strata.search.Mppi;
import dev.strata.search.Outcome;
import dev.strata.search.Search;

/**
 * A planner over action plans in latent space: one of the sampling searches of {@code
 * dev.strata.search} — LeWM's cross-entropy method (the default), MPPI, or iCEM. A candidate is a
 * plan of z-scored action chunks ({@link PlanProblem#planDim()} floats, time-major, two action
 * values per step); the first population comes from the proposer ({@link GaussianPlanProposer}, the
 * N(0, 1) prior), and the energy (e.g. {@link LatentGoalEnergy}) scores a whole population in one
 * batched call.
 *
 * @param method which search
 * @param samples plans per iteration (LeWM: 300; iCEM: of the first iteration)
 * @param elites plans the Gaussian is refit to (30; MPPI weighs all samples and ignores it)
 * @param iterations iterations (30)
 * @param seed seed of the run's random source
 */
public record LatentPlanner(Method method, int samples, int elites, int iterations, long seed)
    implements Search<PlanProblem, float[]> {

  /** The sampling search a planner runs. */
  public enum Method {
    /** the cross-entropy method, LeWM's planner */
    CEM,
    /** model-predictive path integral: softmin-weighted mean of all samples */
    MPPI,
    /** iCEM: colored-noise samples, elites kept, shrinking population */
    ICEM;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** MPPI's temperature λ, on the scale of {@link LatentGoalEnergy} (squared latent distance). */
  public static final double MPPI_TEMPERATURE = 0.05;

  /** MPPI's sampling standard deviation around the mean, in z-scored action units. */
  public static final double MPPI_NOISE = 0.5;

  /** iCEM's colored-noise exponent β, kept-elite fraction and population decay γ (the paper's). */
  public static final double ICEM_BETA = 2.0, ICEM_KEEP = 0.3, ICEM_DECAY = 1.25;

  /** Values per time step of a plan: the two action coordinates. */
  static final int ACTION_DIM = 2;

  public LatentPlanner {
    search(method, samples, elites, iterations, seed); // validates the settings
  }

  /** LeWM's planner: CEM with 300 samples, 30 elites, 30 iterations. */
  public static LatentPlanner paper(long seed) {
    return new LatentPlanner(Method.CEM, 300, 30, 30, seed);
  }

  public LatentPlanner withSeed(long s) {
    return new LatentPlanner(method, samples, elites, iterations, s);
  }

  /** A budget that lets the planner run all its iterations. */
  public Budget fullBudget() {
    return switch (search(method, samples, elites, iterations, seed)) {
      case CrossEntropyMethod<PlanProblem> cem -> cem.fullBudget();
      case Mppi<PlanProblem> mppi -> mppi.fullBudget();
      case ImprovedCrossEntropyMethod<PlanProblem> icem -> icem.fullBudget();
      default -> throw new IllegalStateException("no budget for " + method);
    };
  }

  /** One line for reports: the method and its settings. */
  public String describe() {
    return switch (method) {
      case CEM ->
          String.format("CEM (%d samples, %d elites, %d iterations)", samples, elites, iterations);
      case MPPI ->
          String.format(
              "MPPI (%d samples, %d iterations, λ %.3g, σ %.2g)",
              samples, iterations, MPPI_TEMPERATURE, MPPI_NOISE);
      case ICEM ->
          String.format(
              "iCEM (%d samples shrinking ×1/%.2f, %d elites, %.0f%% kept, β %.1f, %d iterations)",
              samples, ICEM_DECAY, elites, 100 * ICEM_KEEP, ICEM_BETA, iterations);
    };
  }

  @Override
  public Outcome<float[]> run(
      PlanProblem problem,
      Proposer<PlanProblem, float[]> proposer,
      Energy<PlanProblem, float[]> energy,
      Budget budget) {
    return search(method, samples, elites, iterations, seed).run(problem, proposer, energy, budget);
  }

  private static Search<PlanProblem, float[]> search(
      Method method, int samples, int elites, int iterations, long seed) {
    return switch (method) {
      case CEM -> new CrossEntropyMethod<>(samples, elites, iterations, seed, PlanProblem::planDim);
      case MPPI ->
          new Mppi<>(samples, iterations, MPPI_TEMPERATURE, MPPI_NOISE, seed, PlanProblem::planDim);
      case ICEM ->
          new ImprovedCrossEntropyMethod<>(
              samples,
              elites,
              iterations,
              ICEM_BETA,
              ICEM_KEEP,
              ICEM_DECAY,
              ACTION_DIM,
              seed,
              PlanProblem::planDim);
    };
  }
}
