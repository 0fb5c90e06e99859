package dev.strata.bench.anytime;

/**
 * One search run on one problem, as its recorders saw it.
 *
 * @param energies the energy of each evaluation, in order
 * @param correct whether each evaluated candidate is correct (the task's check)
 * @param callEnds evaluations done at the end of each energy call (cumulative)
 * @param callCpu CPU seconds since the run began at the end of each energy call
 * @param proposalAt evaluations done when each proposer call was made
 * @param proposalSizes candidates each proposer call returned
 * @param cpuSeconds CPU seconds of the whole run
 */
public record Trace(
    float[] energies,
    boolean[] correct,
    int[] callEnds,
    double[] callCpu,
    long[] proposalAt,
    long[] proposalSizes,
    double cpuSeconds) {

  /** Evaluations the run made. */
  public int evaluations() {
    return energies.length;
  }

  /** Evaluations a run stopped at {@code budget} evaluations makes: min(budget, this run's). */
  public long evaluationsAt(long budget) {
    return Math.min(budget, energies.length);
  }

  /**
   * CPU seconds until the energy call holding evaluation number {@code budget} ended (the whole run
   * if it made fewer evaluations).
   */
  public double cpuAt(long budget) {
    if (budget >= energies.length) return cpuSeconds;
    for (int c = 0; c < callEnds.length; c++) if (callEnds[c] >= budget) return callCpu[c];
    return cpuSeconds;
  }

  /**
   * Proposals a run stopped at {@code budget} evaluations draws: every proposer call made before
   * the budget was spent, each clamped to the evaluations then left (as the searches clamp their
   * last batch).
   */
  public long proposalsAt(long budget) {
    long n = 0;
    for (int c = 0; c < proposalAt.length; c++) {
      if (proposalAt[c] < budget) n += Math.min(proposalSizes[c], budget - proposalAt[c]);
    }
    return n;
  }
}
