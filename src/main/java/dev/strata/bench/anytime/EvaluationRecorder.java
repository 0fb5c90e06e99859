package dev.strata.bench.anytime;

import dev.strata.energy.Breakdown;
import dev.strata.energy.Energy;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * An {@link Energy} decorator that sees every candidate a search scores, in order: its energy,
 * whether it is correct by the task's own check (asked once per candidate, so no candidate is
 * kept), and the CPU clock at the end of each {@link #energies} call. {@link #explain} is passed
 * through unrecorded (a search calls it on its answer, which is not a new evaluation).
 */
public final class EvaluationRecorder<P, X> implements Energy<P, X> {
  private final Energy<P, X> inner;
  private final Predicate<X> correct;
  private final DoubleSupplier cpuSeconds;
  private final double cpuStart;
  private float[] energies = new float[64];
  private boolean[] correctness = new boolean[64];
  private int evaluations;
  private int[] callEnds = new int[16];
  private double[] callCpu = new double[16];
  private int calls;

  /**
   * @param inner the energy the search runs with
   * @param correct the task's check of a candidate (ground truth or rules), never shown to the
   *     search
   * @param cpuSeconds the clock; its reading now is the run's start
   */
  public EvaluationRecorder(Energy<P, X> inner, Predicate<X> correct, DoubleSupplier cpuSeconds) {
    this.inner = inner;
    this.correct = correct;
    this.cpuSeconds = cpuSeconds;
    this.cpuStart = cpuSeconds.getAsDouble();
  }

  @Override
  public float[] energies(P problem, List<X> candidates) {
    float[] e = inner.energies(problem, candidates);
    int n = candidates.size();
    if (evaluations + n > energies.length) {
      int cap = Math.max(energies.length * 2, evaluations + n);
      energies = Arrays.copyOf(energies, cap);
      correctness = Arrays.copyOf(correctness, cap);
    }
    for (int i = 0; i < n; i++) {
      energies[evaluations + i] = e[i];
      correctness[evaluations + i] = correct.test(candidates.get(i));
    }
    evaluations += n;
    if (calls == callEnds.length) {
      callEnds = Arrays.copyOf(callEnds, calls * 2);
      callCpu = Arrays.copyOf(callCpu, calls * 2);
    }
    callEnds[calls] = evaluations;
    callCpu[calls] = cpuSeconds.getAsDouble() - cpuStart;
    calls++;
    return e;
  }

  @Override
  public Breakdown explain(P problem, X candidate) {
    return inner.explain(problem, candidate);
  }

  /** Evaluations recorded so far. */
  public int evaluations() {
    return evaluations;
  }

  /** CPU seconds since this recorder was made. */
  public double cpuSinceStart() {
    return cpuSeconds.getAsDouble() - cpuStart;
  }

  /** What was recorded, closed with the run's total CPU time and proposals. */
  public Trace trace(ProposalRecorder<P, X> proposals) {
    return new Trace(
        Arrays.copyOf(energies, evaluations),
        Arrays.copyOf(correctness, evaluations),
        Arrays.copyOf(callEnds, calls),
        Arrays.copyOf(callCpu, calls),
        proposals.atEvaluation(),
        proposals.sizes(),
        cpuSinceStart());
  }
}
