package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.List;

/**
 * A complete search: depth-first over partial assignments with constraint propagation, trying
 * values in the proposer's order. The proposer is asked only when a choice must be made: at the
 * first branch point it completes the partial assignment that propagation left, and the value that
 * completion gives is tried first at this and every later branch; when the search leaves the
 * completion (a different value, or after a backtrack) the next branch point asks for a fresh
 * completion of its partial assignment, as long as proposals are left (afterwards the last
 * completion keeps guiding). Problems that propagation alone decides cost no proposal. Leaves are
 * scored with the energy; the search stops at the first accepted leaf, or when it has proved that
 * no leaf exists ({@link Outcome.StopReason#EXHAUSTED}). Proposals running out never stops it, so
 * it stays exact; only evaluations and wall time do. With a good proposer most puzzles need one
 * completion and no backtracking; with a poor one it is still a correct solver.
 *
 * @param constraints the problem's propagator
 * @param seed seed of the run's random source
 */
public record GuidedDepthFirst<P, X, S>(ConstraintPropagator<P, X, S> constraints, long seed)
    implements Search<P, X> {

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    Walk<P, X, S> walk =
        new Walk<>(
            problem,
            proposer,
            energy,
            new BudgetMeter<>(budget),
            constraints,
            new RandomSource(seed));
    S root = constraints.root(problem);
    if (root != null) walk.dfs(root, null, null);
    BudgetMeter<P, X> m = walk.meter;
    if (m.best() == null && root != null)
      m.offer(constraints.candidate(problem, root), Float.POSITIVE_INFINITY);
    Outcome.StopReason fallback =
        walk.outOfTime
            ? Outcome.StopReason.WALL_TIME
            : walk.outOfEvaluations
                ? Outcome.StopReason.ENERGY_EVALUATIONS
                : Outcome.StopReason.EXHAUSTED;
    if (m.best() == null)
      return new Outcome<>(
          null, Float.POSITIVE_INFINITY, null, false, fallback, 0, 0, m.elapsed(), new float[0]);
    Outcome<X> o = m.outcome(energy, problem, fallback);
    return o.accepted()
        ? o
        : new Outcome<>(
            o.best(),
            o.energy(),
            o.breakdown(),
            false,
            fallback,
            o.proposals(),
            o.energyEvaluations(),
            o.wallTime(),
            o.trace());
  }

  private static final class Walk<P, X, S> {
    final P problem;
    final Proposer<P, X> proposer;
    final Energy<P, X> energy;
    final BudgetMeter<P, X> meter;
    final ConstraintPropagator<P, X, S> c;
    final RandomSource rng;
    boolean outOfTime;
    boolean outOfEvaluations;

    Walk(
        P problem,
        Proposer<P, X> proposer,
        Energy<P, X> energy,
        BudgetMeter<P, X> meter,
        ConstraintPropagator<P, X, S> c,
        RandomSource rng) {
      this.problem = problem;
      this.proposer = proposer;
      this.energy = energy;
      this.meter = meter;
      this.c = c;
      this.rng = rng;
    }

    /**
     * A completion of the state's partial candidate by the proposer, or {@code fallback} when
     * proposals ran out.
     */
    X complete(S state, X fallback) {
      if (meter.proposalsLeft() <= 0) return fallback;
      List<X> out = proposer.complete(problem, c.candidate(problem, state), 1, rng);
      meter.chargeProposals(out.size());
      return out.isEmpty() ? fallback : out.get(0);
    }

    boolean stop() {
      if (meter.accepted()) return true;
      if (meter.evaluationsLeft() <= 0) return outOfEvaluations = true;
      if (meter.elapsed().compareTo(meter.budget().wallTime()) >= 0) return outOfTime = true;
      return false;
    }

    /** The hint's value first (when still possible), the others in random order. */
    int[] ordered(int[] possible, int preferred) {
      int[] v = possible.clone();
      int start = 0;
      for (int i = 0; i < v.length; i++) {
        if (v[i] == preferred) {
          v[i] = v[0];
          v[0] = preferred;
          start = 1;
          break;
        }
      }
      for (int i = v.length - 1; i > start; i--) {
        int j = start + rng.nextInt(i + 1 - start);
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
      }
      return v;
    }

    /**
     * Returns true when the search should end (accepted or out of budget). {@code hint} is the
     * completion being followed (null: none yet, or the search left it); {@code stale} the last
     * completion, used when proposals ran out.
     */
    boolean dfs(S state, X hint, X stale) {
      if (stop()) return true;
      int site = c.branchSite(state);
      if (site < 0) {
        meter.score(energy, problem, List.of(c.candidate(problem, state)));
        meter.endIteration();
        return stop();
      }
      if (hint == null) hint = complete(state, stale);
      int want = hint == null ? -1 : c.valueOf(state, hint, site);
      int[] values = ordered(c.values(state, site), want);
      for (int v : values) {
        S child = c.assign(state, site, v);
        if (child == null) continue;
        boolean following = v == want;
        if (dfs(child, following ? hint : null, hint)) return true;
      }
      return false;
    }
  }
}
