package dev.strata.tasks.sudoku;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.search.BestOfN;
import dev.strata.search.Budget;
import dev.strata.search.Cascade;
import dev.strata.search.GibbsRepair;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.IndependenceMetropolis;
import dev.strata.search.MinConflictRepair;
import dev.strata.search.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SudokuSearchTest {
  static final SudokuRules RULES = new SudokuRules();
  static final UniformSudokuProposer UNIFORM = new UniformSudokuProposer();

  static Budget budget(long proposals, long evaluations) {
    return new Budget(proposals, evaluations, Duration.ofSeconds(30), 0);
  }

  @Test
  void completeSearchSolvesEasyHardAndSeventeenGivenPuzzlesExactly() {
    for (String p : new String[] {SudokuTest.EASY, SudokuTest.HARD, SudokuTest.SEVENTEEN}) {
      SudokuGrid puzzle = SudokuGrid.parse(p);
      Outcome<SudokuGrid> o =
          new GuidedDepthFirst<>(new SudokuConstraints(), 1)
              .run(puzzle, UNIFORM, RULES, budget(1_000_000, 1_000_000));
      assertThat(o.accepted()).isTrue();
      assertThat(o.stop()).isEqualTo(Outcome.StopReason.ACCEPTED);
      assertThat(o.best()).isEqualTo(SudokuSolver.solve(puzzle).orElseThrow());
      assertThat(o.energy()).isZero();
      assertThat(o.breakdown().total()).isZero();
      // the proposer is asked only at branch points: propagation alone decides the easy puzzle
      if (p.equals(SudokuTest.EASY)) assertThat(o.proposals()).isZero();
      if (p.equals(SudokuTest.HARD)) assertThat(o.proposals()).isPositive();
      assertThat(o.energyEvaluations()).isPositive().isEqualTo(o.trace().length);
    }
  }

  @Test
  void completeSearchFollowsAPerfectProposerWithoutBacktracking() {
    SudokuGrid puzzle = SudokuGrid.parse(SudokuTest.HARD);
    SudokuGrid solution = SudokuSolver.solve(puzzle).orElseThrow();
    var oracle =
        new dev.strata.propose.Proposer<SudokuGrid, SudokuGrid>() {
          public List<SudokuGrid> propose(SudokuGrid p, int n, dev.strata.propose.RandomSource r) {
            return java.util.Collections.nCopies(n, solution);
          }

          public List<SudokuGrid> complete(
              SudokuGrid p, SudokuGrid partial, int n, dev.strata.propose.RandomSource r) {
            return propose(p, n, r);
          }
        };
    Outcome<SudokuGrid> o =
        new GuidedDepthFirst<>(new SudokuConstraints(), 1)
            .run(puzzle, oracle, RULES, budget(100, 100));
    assertThat(o.accepted()).isTrue();
    assertThat(o.proposals()).isEqualTo(1); // the root completion is followed all the way down
    assertThat(o.energyEvaluations()).isEqualTo(1);
  }

  @Test
  void completeSearchProvesThatAContradictoryPuzzleHasNoSolution() {
    // valid-looking givens with no solution: cell 0 can hold no digit (row has 1-4, column 5-8, box
    // 9)
    SudokuGrid puzzle =
        SudokuGrid.parse("01234" + "0".repeat(76))
            .with(27, 5)
            .with(36, 6)
            .with(45, 7)
            .with(54, 8)
            .with(20, 9);
    Outcome<SudokuGrid> o =
        new GuidedDepthFirst<>(new SudokuConstraints(), 1)
            .run(puzzle, UNIFORM, RULES, budget(10, 1000));
    assertThat(o.accepted()).isFalse();
    assertThat(o.stop()).isEqualTo(Outcome.StopReason.EXHAUSTED);
  }

  @Test
  void completeSearchStopsAtTheWallTime() {
    SudokuGrid empty = SudokuGrid.empty();
    Budget tight = new Budget(10, 3, Duration.ofSeconds(30), -1); // accept nothing, 3 evaluations
    Outcome<SudokuGrid> o =
        new GuidedDepthFirst<>(new SudokuConstraints(), 1).run(empty, UNIFORM, RULES, tight);
    assertThat(o.energyEvaluations()).isEqualTo(3);
    assertThat(o.proposals()).isLessThanOrEqualTo(10);
    assertThat(o.stop()).isEqualTo(Outcome.StopReason.ENERGY_EVALUATIONS);
  }

  /** A generated puzzle with many givens: easy for local search from a random fill. */
  static SudokuGrid easyPuzzle(int givens, long seed) {
    return SudokuGenerator.generate(givens, new SplittableRandom(seed)).puzzle();
  }

  @Test
  void minConflictAndGibbsRepairSolveEasyPuzzles() {
    SudokuGrid puzzle = easyPuzzle(60, 3);
    Outcome<SudokuGrid> mc =
        new MinConflictRepair<>(new SudokuMoves(), 0.1, 200, 1)
            .run(puzzle, UNIFORM, RULES, budget(1000, 200_000));
    assertThat(mc.accepted()).as("min-conflict: %s", mc.breakdown()).isTrue();
    assertThat(SudokuRules.solves(puzzle, mc.best())).isTrue();
    Outcome<SudokuGrid> gibbs =
        new GibbsRepair<>(new SudokuMoves(), 0.3, 300, 1)
            .run(puzzle, UNIFORM, RULES, budget(1000, 200_000));
    assertThat(gibbs.accepted()).as("gibbs: %s", gibbs.breakdown()).isTrue();
    // the trace is the best energy so far: it never rises
    for (int i = 1; i < mc.trace().length; i++)
      assertThat(mc.trace()[i]).isLessThanOrEqualTo(mc.trace()[i - 1]);
  }

  @Test
  void movesFindSuspectsInTheGroupsTheyAreGiven() {
    SudokuGrid solution = SudokuSolver.solve(SudokuGrid.parse(SudokuTest.EASY)).orElseThrow();
    SudokuGrid free = SudokuGrid.of(new int[81]); // no givens: every cell may change
    // swap two digits inside row 0 (and box 0): each now repeats in its column only
    SudokuGrid swapped = solution.with(0, solution.get(1)).with(1, solution.get(0));
    assertThat(new SudokuMoves().suspects(free, swapped)).isNotEmpty();
    int[][] rows = new int[9][9];
    for (int r = 0; r < 9; r++) for (int c = 0; c < 9; c++) rows[r][c] = 9 * r + c;
    assertThat(new SudokuMoves(rows).suspects(free, swapped)).isEmpty();
    int[][] columns = new int[9][9];
    for (int r = 0; r < 9; r++) for (int c = 0; c < 9; c++) columns[c][r] = 9 * r + c;
    assertThat(new SudokuMoves(columns).suspects(free, swapped)).contains(0, 1);
  }

  @Test
  void repairRespectsTheEvaluationBudget() {
    SudokuGrid puzzle = SudokuGrid.parse(SudokuTest.HARD);
    Outcome<SudokuGrid> o =
        new MinConflictRepair<>(new SudokuMoves(), 0.1, 50, 1)
            .run(puzzle, UNIFORM, RULES, budget(5, 500));
    assertThat(o.accepted()).isFalse();
    assertThat(o.energyEvaluations()).isLessThanOrEqualTo(500);
    assertThat(o.proposals()).isLessThanOrEqualTo(5);
  }

  @Test
  void independenceMetropolisFindsTheSolutionOfANearlyFullGrid() {
    SudokuGrid puzzle = easyPuzzle(79, 5); // 2 blanks: 81 equally likely uniform fills, one right
    var imh = new IndependenceMetropolis<SudokuGrid, SudokuGrid>(16, 0.5, 2);
    var chain = imh.chain(puzzle, UNIFORM, RULES, budget(4000, 4000));
    assertThat(chain.outcome().accepted()).isTrue();
    assertThat(chain.stateEnergy()).isZero(); // the chain moved to the zero-energy state
    assertThat(chain.outcome().proposals())
        .isEqualTo(chain.outcome().energyEvaluations())
        .isLessThanOrEqualTo(4000);
    Outcome<SudokuGrid> none =
        imh.run(SudokuGrid.parse(SudokuTest.HARD), UNIFORM, RULES, budget(40, 4000));
    assertThat(none.proposals()).isEqualTo(40);
    assertThat(none.stop()).isEqualTo(Outcome.StopReason.PROPOSALS);
  }

  @Test
  void cascadeStopsAtTheFirstStageThatAccepts() {
    SudokuGrid puzzle = SudokuGrid.parse(SudokuTest.EASY);
    var cascade =
        new Cascade<SudokuGrid, SudokuGrid>(
            List.of(new BestOfN<>(8, 1), new GuidedDepthFirst<>(new SudokuConstraints(), 1)));
    Cascade.Result<SudokuGrid> r = cascade.runStages(puzzle, UNIFORM, RULES, budget(20, 10_000));
    assertThat(r.outcome().accepted()).isTrue();
    assertThat(r.stage())
        .isEqualTo(1); // uniform guesses never solve a 45-blank puzzle; the complete search does
    assertThat(r.outcome().proposals()).isLessThanOrEqualTo(20);
    assertThat(r.outcome().energyEvaluations())
        .isGreaterThanOrEqualTo(20); // 20 best-of-N scores (the budget's proposals) + the DFS leaf
  }
}
