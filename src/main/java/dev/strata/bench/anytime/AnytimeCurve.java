package dev.strata.bench.anytime;

import dev.strata.propose.RandomSource;
import dev.strata.world.WorldEval;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy against budget from recorded runs ({@link Trace}). At budget b a problem counts as
 * solved when the candidate the {@link Readout} picks among the first b evaluations is correct;
 * evaluations, proposals and CPU are those a run stopped at b would have spent ({@link
 * Trace#evaluationsAt}, {@link Trace#proposalsAt}, {@link Trace#cpuAt}).
 */
public final class AnytimeCurve {
  private AnytimeCurve() {}

  /** The points of one run per problem at the largest budget, read off at every budget. */
  public static List<AnytimePoint> replay(
      List<Trace> runs, long[] budgets, Readout readout, long seed) {
    List<AnytimePoint> out = new ArrayList<>();
    for (int j = 0; j < budgets.length; j++) out.add(point(runs, budgets[j], j, readout, seed));
    return out;
  }

  /**
   * The points of separate runs: {@code runsPerBudget.get(j)} ran with budget {@code budgets[j]}.
   */
  public static List<AnytimePoint> separate(
      List<List<Trace>> runsPerBudget, long[] budgets, Readout readout, long seed) {
    List<AnytimePoint> out = new ArrayList<>();
    for (int j = 0; j < budgets.length; j++)
      out.add(point(runsPerBudget.get(j), budgets[j], j, readout, seed));
    return out;
  }

  private static AnytimePoint point(
      List<Trace> runs, long budget, int column, Readout readout, long seed) {
    int n = runs.size();
    int solved = 0;
    double evaluations = 0;
    double cpu = 0;
    double proposals = 0;
    int b = (int) Math.min(Integer.MAX_VALUE, budget);
    for (int i = 0; i < n; i++) {
      Trace t = runs.get(i);
      int pick = readout.pick(t.energies(), b, new RandomSource(readoutSeed(seed, i, column)));
      if (pick >= 0 && t.correct()[pick]) solved++;
      evaluations += t.evaluationsAt(budget);
      cpu += t.cpuAt(budget);
      proposals += t.proposalsAt(budget);
    }
    double[] ci = n == 0 ? new double[] {Double.NaN, Double.NaN} : WorldEval.wilson(solved, n);
    return new AnytimePoint(
        budget,
        n,
        solved,
        n == 0 ? Double.NaN : (double) solved / n,
        ci[0],
        ci[1],
        evaluations / n,
        cpu / n,
        proposals / n);
  }

  /** The seed of a readout's own draws for problem i at budget column j (distinct per pair). */
  static long readoutSeed(long seed, int problem, int column) {
    return seed * 1_000_003L + problem * 1_009L + column;
  }

  /**
   * The smallest budget from which the accuracy stays at or above {@code target} at every larger
   * budget, or −1 when the largest budget's is below it. (A search whose answer is drawn, like
   * importance resampling, or an imperfect energy can fall below again; a budget it only touches
   * once does not count.)
   */
  public static long reaches(List<AnytimePoint> points, double target) {
    long from = -1;
    for (int j = points.size() - 1; j >= 0 && points.get(j).accuracy() >= target; j--)
      from = points.get(j).budget();
    return from;
  }
}
