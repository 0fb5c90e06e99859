package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.List;

/**
 * Best-of-N with adaptive compute: draw candidates in batches, score each batch, keep the lowest
 * energy, and stop as soon as a candidate is accepted or the budget is spent. With an energy that
 * only ranks (no threshold reachable) it is plain best-of-N.
 *
 * @param batch candidates per proposer call
 * @param seed seed of the run's {@link RandomSource}
 */
public record BestOfN<P, X>(int batch, long seed) implements Search<P, X> {

  public BestOfN {
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
  }

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, X> meter = new BudgetMeter<>(budget);
    while (!meter.shouldStop()) {
      int n = (int) Math.min(batch, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
      List<X> candidates = proposer.propose(problem, n, rng);
      if (candidates.isEmpty())
        return meter.outcome(
            energy, problem, Outcome.StopReason.EXHAUSTED); // proposer has nothing more
      meter.chargeProposals(candidates.size());
      meter.score(energy, problem, candidates);
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.PROPOSALS);
  }
}
