package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Searches run one after another on what the budget has left, stopping at the first accepted
 * candidate: e.g. best-of-N over the proposer's samples first (cheap when the proposer is good),
 * then a repair search, then a complete search (exact when the others fail). The outcome sums the
 * stages' proposals, evaluations and time and concatenates their traces (as the best energy so far
 * over all stages); {@link #runStages} also tells which stage found the best.
 */
public record Cascade<P, X>(List<Search<P, X>> stages) implements Search<P, X> {

  public Cascade {
    if (stages.isEmpty()) throw new IllegalArgumentException("a cascade needs at least one search");
    stages = List.copyOf(stages);
  }

  @SuppressWarnings("unchecked")
  private static <P, X> Proposer<P, X> exhausted() {
    return (Proposer<P, X>) NOTHING;
  }

  private static final Proposer<Object, Object> NOTHING =
      new Proposer<>() {
        @Override
        public List<Object> propose(Object problem, int n, dev.strata.propose.RandomSource rng) {
          return List.of();
        }

        @Override
        public List<Object> complete(
            Object problem, Object partial, int n, dev.strata.propose.RandomSource rng) {
          return List.of();
        }
      };

  /** The combined outcome and the index of the stage that produced the best candidate. */
  public record Result<X>(Outcome<X> outcome, int stage) {}

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    return runStages(problem, proposer, energy, budget).outcome();
  }

  public Result<X> runStages(
      P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    long proposals = 0;
    long evaluations = 0;
    Duration time = Duration.ZERO;
    float[] trace = new float[0];
    Outcome<X> best = null;
    int bestStage = -1;
    Outcome<X> last = null;
    for (int i = 0; i < stages.size(); i++) {
      long pLeft = budget.proposals() - proposals;
      long eLeft = budget.energyEvaluations() - evaluations;
      Duration tLeft = budget.wallTime().minus(time);
      if (eLeft <= 0 || tLeft.isNegative() || tLeft.isZero()) break;
      Budget rest = new Budget(Math.max(1, pLeft), eLeft, tLeft, budget.acceptBelow());
      // with no proposals left, a later stage runs on a proposer that returns nothing (a complete
      // search still can)
      last = stages.get(i).run(problem, pLeft > 0 ? proposer : exhausted(), energy, rest);
      proposals += last.proposals();
      evaluations += last.energyEvaluations();
      time = time.plus(last.wallTime());
      int n = trace.length;
      trace = Arrays.copyOf(trace, n + last.trace().length);
      System.arraycopy(last.trace(), 0, trace, n, last.trace().length);
      for (int k = Math.max(1, n); k < trace.length; k++)
        trace[k] = Math.min(trace[k], trace[k - 1]);
      if (last.best() != null && (best == null || last.energy() < best.energy())) {
        best = last;
        bestStage = i;
      }
      if (last.accepted()) break;
    }
    if (best == null) best = last;
    Outcome<X> o =
        new Outcome<>(
            best == null ? null : best.best(),
            best == null ? Float.POSITIVE_INFINITY : best.energy(),
            best == null ? null : best.breakdown(),
            best != null && best.accepted(),
            last == null ? Outcome.StopReason.WALL_TIME : last.stop(),
            proposals,
            evaluations,
            time,
            trace);
    return new Result<>(o, bestStage);
  }
}
