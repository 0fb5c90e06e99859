package dev.strata.bench.reasoning;

import dev.strata.propose.Proposer;
import dev.strata.search.BestOfN;
import dev.strata.search.Budget;
import dev.strata.search.Cascade;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.Outcome;
import dev.strata.tasks.sudoku.SudokuConstraints;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuPropagation;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.SudokuSolver;
import java.time.Duration;
import java.util.List;

/**
 * The layered Sudoku system: a proposer's samples judged by the rule energy (best-of-N, stopping at
 * the first valid grid), then the proposer-guided complete search, which is exact on any puzzle
 * with a solution. What {@code strata solve sudoku} and the benchmark's "AR + rule energy + search"
 * run.
 *
 * @param samples proposals of the best-of-N stage (0 skips it)
 * @param guides completions the complete search may ask of the proposer (afterwards the last one
 *     keeps guiding)
 * @param maxTime wall-time budget per puzzle
 * @param seed seed of the searches
 */
public record LayeredSudokuSolver(int samples, int guides, Duration maxTime, long seed) {

  /** The outcome and which stage solved it (0 best-of-N, 1 complete search, −1 none). */
  public record Result(Outcome<SudokuGrid> outcome, int stage) {}

  public Result solve(SudokuGrid puzzle, Proposer<SudokuGrid, SudokuGrid> proposer) {
    SudokuRules rules = new SudokuRules();
    Budget budget = new Budget(Math.max(1, samples + guides), Long.MAX_VALUE, maxTime, 0);
    GuidedDepthFirst<SudokuGrid, SudokuGrid, int[]> dfs =
        new GuidedDepthFirst<>(new SudokuConstraints(), seed);
    if (samples == 0) {
      Outcome<SudokuGrid> o = dfs.run(puzzle, proposer, rules, budget);
      return new Result(o, o.accepted() ? 1 : -1);
    }
    Cascade<SudokuGrid, SudokuGrid> cascade =
        new Cascade<>(List.of(new LimitedBestOfN(samples, seed), dfs));
    Cascade.Result<SudokuGrid> r = cascade.runStages(puzzle, proposer, rules, budget);
    return new Result(r.outcome(), r.outcome().accepted() ? r.stage() : -1);
  }

  /** Best-of-N over exactly {@code n} proposals, whatever the budget allows beyond. */
  private record LimitedBestOfN(int n, long seed)
      implements dev.strata.search.Search<SudokuGrid, SudokuGrid> {
    @Override
    public Outcome<SudokuGrid> run(
        SudokuGrid p,
        Proposer<SudokuGrid, SudokuGrid> proposer,
        dev.strata.energy.Energy<SudokuGrid, SudokuGrid> energy,
        Budget budget) {
      return new BestOfN<SudokuGrid, SudokuGrid>(n, seed)
          .run(p, proposer, energy, budget.withProposals(n));
    }
  }

  /**
   * Why a puzzle cannot be solved, in one line, or null when it is well-formed: repeated givens
   * name the unit and digit; otherwise propagation or search proves there is no solution.
   */
  public static String problemWith(SudokuGrid puzzle) {
    String[] kinds = {"row", "column", "box"};
    for (int u = 0; u < 27; u++) {
      int seen = 0;
      for (int c : SudokuPropagation.UNITS[u]) {
        int v = puzzle.get(c);
        if (v == 0) continue;
        if ((seen & (1 << v)) != 0) {
          return "contradictory givens: digit "
              + v
              + " appears twice in "
              + kinds[u / 9]
              + " "
              + (u % 9 + 1);
        }
        seen |= 1 << v;
      }
    }
    if (SudokuSolver.countSolutions(puzzle, 1) == 0)
      return "the puzzle has no solution (its givens admit no valid grid)";
    return null;
  }
}
