package dev.strata.bench.anytime;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Proposer} decorator that notes each call's size and how many evaluations the run's
 * {@link EvaluationRecorder} had seen when it was made, so the proposals a run stopped at b
 * evaluations would have drawn can be read off a longer run.
 */
public final class ProposalRecorder<P, X> implements Proposer<P, X> {
  private final Proposer<P, X> inner;
  private final EvaluationRecorder<P, X> evaluations;
  private long[] at = new long[16];
  private long[] sizes = new long[16];
  private int calls;

  public ProposalRecorder(Proposer<P, X> inner, EvaluationRecorder<P, X> evaluations) {
    this.inner = inner;
    this.evaluations = evaluations;
  }

  @Override
  public List<X> propose(P problem, int n, RandomSource rng) {
    long before = evaluations.evaluations();
    return noted(before, inner.propose(problem, n, rng));
  }

  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    long before = evaluations.evaluations();
    return noted(before, inner.complete(problem, partial, n, rng));
  }

  private List<X> noted(long before, List<X> out) {
    if (calls == at.length) {
      at = Arrays.copyOf(at, calls * 2);
      sizes = Arrays.copyOf(sizes, calls * 2);
    }
    at[calls] = before;
    sizes[calls] = out.size();
    calls++;
    return out;
  }

  long[] atEvaluation() {
    return Arrays.copyOf(at, calls);
  }

  long[] sizes() {
    return Arrays.copyOf(sizes, calls);
  }
}
