package dev.strata.search;

import dev.strata.energy.Energy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The bookkeeping every search shares: what has been spent against a {@link Budget}, the best
 * candidate so far and the energy trace. A search charges proposals and evaluations as it goes,
 * offers scored candidates, asks {@link #shouldStop()} between iterations, and ends with {@link
 * #outcome}.
 */
public final class BudgetMeter<P, X> {
  private final Budget budget;
  private final long startNanos = System.nanoTime();
  private long proposals;
  private long evaluations;
  private X best;
  private float bestEnergy = Float.POSITIVE_INFINITY;
  private float[] trace = new float[16];
  private int traceLength;

  public BudgetMeter(Budget budget) {
    this.budget = budget;
  }

  public Budget budget() {
    return budget;
  }

  public void chargeProposals(long n) {
    proposals += n;
  }

  /** Proposals still allowed (at least 0). */
  public long proposalsLeft() {
    return Math.max(0, budget.proposals() - proposals);
  }

  /** Evaluations still allowed (at least 0). */
  public long evaluationsLeft() {
    return Math.max(0, budget.energyEvaluations() - evaluations);
  }

  /**
   * Scores candidates with the energy, charging one evaluation each and keeping the best; returns
   * the energies.
   */
  public float[] score(Energy<P, X> energy, P problem, List<X> candidates) {
    float[] e = energy.energies(problem, candidates);
    evaluations += candidates.size();
    for (int i = 0; i < e.length; i++) {
      offer(candidates.get(i), e[i]);
    }
    return e;
  }

  /** Records a candidate scored elsewhere (the caller charges the evaluation). */
  public void offer(X candidate, float energy) {
    if (energy < bestEnergy || best == null) {
      best = candidate;
      bestEnergy = energy;
    }
  }

  public void chargeEvaluations(long n) {
    evaluations += n;
  }

  public X best() {
    return best;
  }

  public float bestEnergy() {
    return bestEnergy;
  }

  /** Appends the best energy so far to the trace; call once per iteration. */
  public void endIteration() {
    if (traceLength == trace.length) {
      trace = Arrays.copyOf(trace, trace.length * 2);
    }
    trace[traceLength++] = bestEnergy;
  }

  public boolean accepted() {
    return best != null && bestEnergy <= budget.acceptBelow();
  }

  /** The reason to stop now, or null to go on. */
  public Outcome.StopReason stopReason() {
    if (accepted()) return Outcome.StopReason.ACCEPTED;
    if (proposals >= budget.proposals()) return Outcome.StopReason.PROPOSALS;
    if (evaluations >= budget.energyEvaluations()) return Outcome.StopReason.ENERGY_EVALUATIONS;
    if (elapsed().compareTo(budget.wallTime()) >= 0) return Outcome.StopReason.WALL_TIME;
    return null;
  }

  public boolean shouldStop() {
    return stopReason() != null;
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * The outcome, explained by {@code energy}; {@code fallback} names the stop reason when no limit
   * was hit.
   */
  public Outcome<X> outcome(Energy<P, X> energy, P problem, Outcome.StopReason fallback) {
    Outcome.StopReason stop = stopReason();
    if (stop == null || (fallback == Outcome.StopReason.EXHAUSTED && !accepted())) stop = fallback;
    return new Outcome<>(
        best,
        bestEnergy,
        best == null ? null : energy.explain(problem, best),
        accepted(),
        stop,
        proposals,
        evaluations,
        elapsed(),
        Arrays.copyOf(trace, traceLength));
  }
}
