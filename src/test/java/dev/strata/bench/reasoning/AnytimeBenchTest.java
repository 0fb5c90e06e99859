package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bench.anytime.AnytimePoint;
import dev.strata.bench.anytime.AnytimeSweep;
import dev.strata.bench.anytime.Combination;
import dev.strata.search.Budget;
import dev.strata.search.Outcome;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The anytime bench's Countdown wiring with the uniform proposer and the rule energy: best-of-N's
 * accuracy never falls with the budget, the complete search is exact given enough leaves, the
 * searches that do not apply are named with a reason, and the headline compares the same search.
 */
class AnytimeBenchTest {
  static final long[] BUDGETS = {1, 4, 16, 64, 256};

  static List<Countdown> problems(int n) {
    SplittableRandom rng = new SplittableRandom(11);
    List<Countdown> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(CountdownGenerator.generate(rng, 10, 100).problem());
    return out;
  }

  static AnytimeSweep.Result sweep(AnytimeSearch s, long[] budgets, List<Countdown> problems) {
    var task = new CountdownAnytime();
    var label = new Combination.Label("uniform", "rule", s.toString());
    var c =
        AnytimeBench.combination(
            label, s, task.uniform(), task.rule(), (int) budgets[budgets.length - 1]);
    return AnytimeSweep.run(c, problems, task::correct, budgets, Duration.ofMinutes(1), 3, i -> {});
  }

  @Test
  void bestOfNAccuracyWithTheRuleEnergyNeverFallsAsTheBudgetGrows() {
    var r = sweep(AnytimeSearch.BEST_OF_N, BUDGETS, problems(12));
    List<AnytimePoint> p = r.points();
    for (int j = 1; j < p.size(); j++)
      assertThat(p.get(j).solved())
          .as("budget %d", BUDGETS[j])
          .isGreaterThanOrEqualTo(p.get(j - 1).solved());
    assertThat(p.getLast().solved()).isGreaterThan(p.getFirst().solved());
    assertThat(p.getLast().meanProposals()).isEqualTo(p.getLast().meanEvaluations());
  }

  @Test
  void theCompleteSearchSolvesEveryProblemGivenAllLeaves() {
    var r = sweep(AnytimeSearch.COMPLETE, new long[] {1, 10_000}, problems(6));
    assertThat(r.points().getLast().accuracy()).isEqualTo(1.0);
    assertThat(r.points().getLast().meanEvaluations()).isLessThan(10_000);
  }

  @Test
  void theCompleteSearchAndTheRepairsReadOffOneRunEqualSeparateRunsExactly() {
    long[] budgets = {1, 3, 10, 40, 150};
    var countdown = new CountdownAnytime();
    for (Countdown p : problems(4)) assertExact(countdown, AnytimeSearch.COMPLETE, p, budgets);
    var sudoku = new SudokuAnytime();
    SudokuGrid puzzle =
        SudokuGrid.parse(
            "080050060460907108005000029970006500000872031300049000004025003010000480603100007");
    assertExact(sudoku, AnytimeSearch.MIN_CONFLICT, puzzle, budgets);
    assertExact(sudoku, AnytimeSearch.GIBBS, puzzle, budgets);
  }

  /** One run at the largest budget, read off at each budget, against a run at each budget. */
  private static <P, X> void assertExact(
      AnytimeTask<P, X> task, AnytimeSearch s, P problem, long[] budgets) {
    var label = new Combination.Label("uniform", "rule", s.toString());
    var c =
        AnytimeBench.combination(
            label, s, task.uniform(), task.rule(), (int) budgets[budgets.length - 1]);
    Duration wall = Duration.ofMinutes(1);
    var longest =
        AnytimeSweep.runOnce(c, problem, task::correct, budgets[budgets.length - 1], wall, 5);
    var curve =
        dev.strata.bench.anytime.AnytimeCurve.replay(List.of(longest), budgets, c.readout(), 0);
    for (int j = 0; j < budgets.length; j++) {
      Outcome<X> alone =
          c.search()
              .apply(5)
              .run(
                  problem,
                  c.proposer(),
                  c.energy(),
                  new Budget(Long.MAX_VALUE, budgets[j], wall, c.acceptBelow()));
      String at = s + " on " + problem + " at " + budgets[j];
      boolean ok = alone.best() != null && task.correct(problem, alone.best());
      assertThat(curve.get(j).solved()).as(at).isEqualTo(ok ? 1 : 0);
      assertThat(curve.get(j).meanEvaluations()).as(at).isEqualTo(alone.energyEvaluations());
      assertThat(curve.get(j).meanProposals()).as(at).isEqualTo(alone.proposals());
    }
  }

  @Test
  void searchesWithoutTheirMovesAreLeftOutWithAReason() {
    var rule = new CountdownAnytime().rule();
    assertThat(AnytimeBench.whyNot(AnytimeSearch.GIBBS, rule)).contains("single-site moves");
    assertThat(AnytimeBench.whyNot(AnytimeSearch.VALUE_BEAM, rule)).contains("value head");
    assertThat(AnytimeBench.whyNot(AnytimeSearch.REMASK, rule)).isNull();
    assertThat(AnytimeBench.whyNot(AnytimeSearch.COMPLETE, rule)).isNull();
    assertThat(AnytimeBench.whyNot(AnytimeSearch.REMASK, new PathStarAnytime().rule()))
        .contains("remasking");
  }

  @Test
  void theHeadlineComparesTheBestLearnedCombinationWithUniformRuleUnderTheSameSearch() {
    var learned = result("ar", "rule", "best-of-n", 0.5, 0.99, 1.0);
    var worse = result("ar", "learned", "best-of-n", 0.2, 0.5, 0.99);
    var baseline = result("uniform", "rule", "best-of-n", 0.0, 0.2, 0.995);
    var h = AnytimeBench.headline(List.of(baseline, worse, learned), 16);
    assertThat(h.learned()).isEqualTo("ar + rule + best-of-n");
    assertThat(h.learnedBudget()).isEqualTo(4);
    assertThat(h.baselineBudget()).isEqualTo(16);
    assertThat(h.ratio()).isEqualTo(4.0);
    var none =
        AnytimeBench.headline(List.of(baseline, result("ar", "rule", "complete", 0, 0, 0.5)), 16);
    assertThat(none.learned()).isNull();
    assertThat(none.text()).contains("no combination with a learned part reaches 99% within 16");
    // touching 99% once and falling again does not count: it reaches it from 16 on
    var dips =
        AnytimeBench.headline(
            List.of(baseline, result("ar", "rule", "best-of-n", 1.0, 0.5, 1.0)), 16);
    assertThat(dips.learnedBudget()).isEqualTo(16);
    assertThat(dips.ratio()).isEqualTo(1.0);
  }

  private static AnytimeSweep.Result result(
      String proposer, String energy, String search, double... accuracy) {
    long[] budgets = {1, 4, 16};
    List<AnytimePoint> points = new ArrayList<>();
    for (int j = 0; j < budgets.length; j++)
      points.add(
          new AnytimePoint(
              budgets[j],
              200,
              (int) Math.round(200 * accuracy[j]),
              accuracy[j],
              0,
              1,
              budgets[j],
              0.1,
              budgets[j]));
    return new AnytimeSweep.Result(
        new Combination.Label(proposer, energy, search), "one run", points, 1);
  }
}
