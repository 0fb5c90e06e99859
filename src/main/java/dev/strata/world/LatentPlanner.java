package dev.strata.world;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.search.Budget;
import dev.strata.search.CrossEntropyMethod;
import dev.strata.search.Outcome;
import dev.strata.search.Search;

/**
 * LeWM's planner: the {@link CrossEntropyMethod} over action plans in latent space. A candidate is
 * a plan of z-scored action chunks ({@link PlanProblem#planDim()} floats); the first population
 * comes from the proposer ({@link GaussianPlanProposer}, the N(0, 1) prior), and the energy (e.g.
 * {@link LatentGoalEnergy}) scores a whole population in one batched call.
 *
 * @param samples plans per iteration (LeWM: 300)
 * @param elites plans the Gaussian is refit to (30)
 * @param iterations CEM iterations (30)
 * @param seed seed of the run's random source
 */
public record LatentPlanner(int samples, int elites, int iterations, long seed)
    implements Search<PlanProblem, float[]> {

  public LatentPlanner {
    cem(samples, elites, iterations, seed); // validates the settings
  }

  /** The spec's planner: 300 samples, 30 elites, 30 iterations. */
  public static LatentPlanner paper(long seed) {
    return new LatentPlanner(300, 30, 30, seed);
  }

  /** A budget that lets the planner run all its iterations. */
  public Budget fullBudget() {
    return cem(samples, elites, iterations, seed).fullBudget();
  }

  @Override
  public Outcome<float[]> run(
      PlanProblem problem,
      Proposer<PlanProblem, float[]> proposer,
      Energy<PlanProblem, float[]> energy,
      Budget budget) {
    return cem(samples, elites, iterations, seed).run(problem, proposer, energy, budget);
  }

  private static CrossEntropyMethod<PlanProblem> cem(
      int samples, int elites, int iterations, long seed) {
    return new CrossEntropyMethod<>(samples, elites, iterations, seed, PlanProblem::planDim);
  }
}
