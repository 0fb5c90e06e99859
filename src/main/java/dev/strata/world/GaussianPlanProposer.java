package dev.strata.world;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The prior over plans: every z-scored action-chunk value ~ N(0, 1), CEM's initial distribution
 * (mean 0, std 1). {@code complete} keeps the first {@code fixed} values of a partial plan (the
 * chunks already committed) and draws the rest.
 */
public final class GaussianPlanProposer implements Proposer<PlanProblem, float[]> {
  @Override
  public List<float[]> propose(PlanProblem problem, int n, RandomSource rng) {
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] plan = new float[problem.planDim()];
      for (int j = 0; j < plan.length; j++) plan[j] = (float) rng.nextGaussian();
      out.add(plan);
    }
    return out;
  }

  @Override
  public List<float[]> complete(PlanProblem problem, float[] partial, int n, RandomSource rng) {
    List<float[]> out = propose(problem, n, rng);
    int fixed = Math.min(partial.length, problem.planDim());
    for (float[] plan : out) System.arraycopy(partial, 0, plan, 0, fixed);
    return out;
  }
}
