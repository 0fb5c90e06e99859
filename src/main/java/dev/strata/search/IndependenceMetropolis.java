package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.List;

/**
 * Independence Metropolis–Hastings towards the residual distribution p(y) ∝ π(y)·exp(−E(y)/τ) with
 * the proposer π as the proposal: a fresh proposal y' replaces the current y with probability
 * min(1, exp((E(y) − E(y'))/τ)) — the proposal probabilities cancel (spec: "Sampling under an
 * energy"). Proposals are drawn {@code batch} at a time and visited in order. The outcome is the
 * lowest energy seen; the chain's state is what a sampler would return.
 *
 * @param batch proposals per proposer call
 * @param temperature τ &gt; 0
 * @param seed seed of the run's random source
 */
public record IndependenceMetropolis<P, X>(int batch, double temperature, long seed)
    implements Search<P, X> {

  public IndependenceMetropolis {
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    if (!(temperature > 0))
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
  }

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    return chain(problem, proposer, energy, budget).outcome();
  }

  /** The outcome and the chain's final state with its energy and acceptance count. */
  public record Chain<X>(Outcome<X> outcome, X state, float stateEnergy, long accepted) {}

  public Chain<X> chain(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, X> meter = new BudgetMeter<>(budget);
    X state = null;
    float stateEnergy = Float.POSITIVE_INFINITY;
    long accepted = 0;
    while (!meter.shouldStop()) {
      int n = (int) Math.min(batch, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
      List<X> ys = proposer.propose(problem, n, rng);
      if (ys.isEmpty()) break; // the proposer has nothing more
      meter.chargeProposals(ys.size());
      float[] e = meter.score(energy, problem, ys);
      for (int i = 0; i < e.length; i++) {
        if (state == null || rng.nextDouble() < Math.exp((stateEnergy - e[i]) / temperature)) {
          state = ys.get(i);
          stateEnergy = e[i];
          accepted++;
        }
      }
      meter.endIteration();
    }
    return new Chain<>(
        meter.outcome(energy, problem, Outcome.StopReason.PROPOSALS), state, stateEnergy, accepted);
  }
}
