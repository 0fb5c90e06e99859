package dev.strata.bench.anytime;

import dev.strata.search.Budget;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.IntConsumer;

/**
 * Runs one {@link Combination} over a set of problems and measures accuracy against the budget
 * (energy evaluations per problem), the anytime curve of the combination.
 *
 * <p>Method: each problem is run ONCE at the largest budget, the energy wrapped in an {@link
 * EvaluationRecorder} that sees every candidate scored, in order, with its energy, and the proposer
 * in a {@link ProposalRecorder}. The answer at budget b is what the {@link Readout} picks among the
 * first b evaluations — for every search that keeps the best candidate it saw, the lowest energy
 * among them, which is exactly what the search returns when stopped at b, provided its path up to
 * the b-th evaluation does not depend on the budget. That holds for the complete search and the
 * single-site repairs (they only stop earlier) and for the searches that draw in batches
 * (best-of-N, independence Metropolis, remask repair) up to the last batch, which a run at budget b
 * clamps to the evaluations left: the prefix then holds the first r candidates of a full batch
 * instead of a batch of r. Both are r draws of the same distribution when the proposer's draws
 * within a batch are independent (AR and diffusion samples are), so the curve is statistically
 * equivalent there, and exact at budgets that are multiples of the batch (or for proposers whose
 * first r of a batch equal a batch of r). A combination whose path depends on the budget ({@link
 * Combination#separate}) is run once per budget instead. Every run's budget is energy evaluations
 * alone (proposals unlimited), so running out of proposals never changes a path.
 *
 * <p>CPU at b is the process CPU time (all threads, libtorch's included) until the energy call
 * holding the b-th evaluation ended, or the whole run if it stopped earlier.
 */
public final class AnytimeSweep {
  private AnytimeSweep() {}

  /**
   * What one combination measured.
   *
   * @param label its parts' names
   * @param replay how its points were obtained ("one run at the largest budget" or "one run per
   *     budget")
   * @param points one per budget, in budget order
   * @param cpuSeconds process CPU seconds the whole sweep of this combination took
   */
  public record Result(
      Combination.Label label, String replay, List<AnytimePoint> points, double cpuSeconds) {}

  /**
   * The curve of {@code c} on {@code problems} at {@code budgets} (ascending). {@code correct} is
   * the task's own check of an answer; {@code wallTime} a safety limit per run (a run it stops is
   * shorter than the budget); {@code seed} the base seed (problem i's search gets {@code seed +
   * i}); {@code done} hears each finished problem's index.
   */
  public static <P, X> Result run(
      Combination<P, X> c,
      List<P> problems,
      BiPredicate<P, X> correct,
      long[] budgets,
      Duration wallTime,
      long seed,
      IntConsumer done) {
    checkBudgets(budgets);
    double cpu0 = processCpuSeconds();
    long largest = budgets[budgets.length - 1];
    List<AnytimePoint> points;
    if (!c.separate()) {
      List<Trace> runs = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        runs.add(runOnce(c, problems.get(i), correct, largest, wallTime, seed + i));
        done.accept(i);
      }
      points = AnytimeCurve.replay(runs, budgets, c.readout(), seed);
    } else {
      List<List<Trace>> perBudget = new ArrayList<>();
      for (long ignored : budgets) perBudget.add(new ArrayList<>());
      for (int i = 0; i < problems.size(); i++) {
        for (int j = 0; j < budgets.length; j++)
          perBudget
              .get(j)
              .add(runOnce(c, problems.get(i), correct, budgets[j], wallTime, seed + i));
        done.accept(i);
      }
      points = AnytimeCurve.separate(perBudget, budgets, c.readout(), seed);
    }
    return new Result(
        c.label(),
        c.separate() ? "one run per budget" : "one run at the largest budget",
        points,
        processCpuSeconds() - cpu0);
  }

  /** One run of {@code c} on {@code problem} with {@code budget} evaluations, as recorded. */
  public static <P, X> Trace runOnce(
      Combination<P, X> c,
      P problem,
      BiPredicate<P, X> correct,
      long budget,
      Duration wallTime,
      long seed) {
    var energy =
        new EvaluationRecorder<P, X>(
            c.energy(), x -> correct.test(problem, x), AnytimeSweep::processCpuSeconds);
    var proposer = new ProposalRecorder<>(c.proposer(), energy);
    c.search()
        .apply(seed)
        .run(
            problem,
            proposer,
            energy,
            new Budget(Long.MAX_VALUE, budget, wallTime, c.acceptBelow()));
    return energy.trace(proposer);
  }

  /** Refuses budgets that are not positive and strictly ascending, in one line. */
  public static void checkBudgets(long[] budgets) {
    if (budgets.length == 0)
      throw new IllegalArgumentException("--budgets needs at least one budget, e.g. 1,4,16,64");
    for (int j = 0; j < budgets.length; j++) {
      if (budgets[j] <= 0)
        throw new IllegalArgumentException(
            "--budgets must be positive energy evaluations, got " + budgets[j]);
      if (j > 0 && budgets[j] <= budgets[j - 1])
        throw new IllegalArgumentException(
            "--budgets must be strictly ascending, got " + budgets[j - 1] + " then " + budgets[j]);
    }
  }

  /** Process CPU seconds, all threads (libtorch's included). */
  public static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }
}
