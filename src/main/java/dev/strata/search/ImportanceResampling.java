package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.List;

/**
 * Importance resampling towards p(y) ∝ π(y)·exp(−E(y)/τ) with the proposer π as the proposal (spec
 * "Sampling under an energy"): draw n candidates, then return one drawn with weight exp(−E/τ) — the
 * proposal probabilities cancel. Unlike {@link BestOfN} it returns a sample of the residual
 * distribution, not the minimum (they agree as τ → 0); the outcome's trace still records the best
 * energy seen, and it is accepted if the resampled candidate meets the threshold.
 *
 * @param n candidates drawn
 * @param temperature τ &gt; 0
 * @param seed seed of the run's random source
 */
public record ImportanceResampling<P, X>(int n, double temperature, long seed)
    implements Search<P, X> {

  public ImportanceResampling {
    if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
    if (!(temperature > 0))
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
  }

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, X> meter = new BudgetMeter<>(budget);
    int k = (int) Math.min(n, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
    List<X> ys = proposer.propose(problem, k, rng);
    meter.chargeProposals(ys.size());
    if (ys.isEmpty()) return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
    float[] e = meter.score(energy, problem, ys);
    meter.endIteration();
    int pick = BoltzmannChoice.pick(e, temperature, rng);
    Outcome<X> best = meter.outcome(energy, problem, Outcome.StopReason.PROPOSALS);
    return new Outcome<>(
        ys.get(pick),
        e[pick],
        energy.explain(problem, ys.get(pick)),
        e[pick] <= budget.acceptBelow(),
        best.stop(),
        best.proposals(),
        best.energyEvaluations(),
        best.wallTime(),
        best.trace());
  }
}
