package dev.strata.tasks.sudoku;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An exact Sudoku solver: {@link SudokuPropagation} plus depth-first search on the most constrained
 * cell. It counts solutions up to a limit (uniqueness checks stop at 2), and with a random source
 * it tries digits in random order, which is how {@link SudokuGenerator} fills grids. Not a learned
 * component: the generator's and the tests' ground truth.
 */
public final class SudokuSolver {

  /**
   * Solutions found (at most the limit) and search nodes visited (a difficulty measure: 1 = no
   * guessing).
   */
  public record Result(List<SudokuGrid> solutions, long nodes) {}

  private SudokuSolver() {}

  /** The solution of a puzzle, if it has one (the first found if it has several). */
  public static Optional<SudokuGrid> solve(SudokuGrid puzzle) {
    List<SudokuGrid> s = search(puzzle, 1, null).solutions();
    return s.isEmpty() ? Optional.empty() : Optional.of(s.get(0));
  }

  /** Number of solutions, counting no further than {@code limit}. */
  public static int countSolutions(SudokuGrid puzzle, int limit) {
    return search(puzzle, limit, null).solutions().size();
  }

  /**
   * Up to {@code limit} solutions; digits tried in random order when {@code rng} is given, else
   * ascending.
   */
  public static Result search(SudokuGrid puzzle, int limit, SplittableRandom rng) {
    List<SudokuGrid> out = new ArrayList<>();
    int[] masks = SudokuPropagation.initial(puzzle);
    long[] nodes = {0};
    if (masks != null) dfs(masks, limit, rng, out, nodes);
    return new Result(out, nodes[0]);
  }

  private static void dfs(
      int[] masks, int limit, SplittableRandom rng, List<SudokuGrid> out, long[] nodes) {
    nodes[0]++;
    int cell = SudokuPropagation.mostConstrained(masks);
    if (cell < 0) {
      out.add(SudokuPropagation.grid(masks));
      return;
    }
    int[] digits = digits(masks[cell], rng);
    for (int d : digits) {
      int[] child = masks.clone();
      if (SudokuPropagation.assign(child, cell, d)) {
        dfs(child, limit, rng, out, nodes);
        if (out.size() >= limit) return;
      }
    }
  }

  private static int[] digits(int mask, SplittableRandom rng) {
    int[] d = new int[Integer.bitCount(mask)];
    int n = 0;
    for (int v = 1; v <= 9; v++) if ((mask & SudokuPropagation.bit(v)) != 0) d[n++] = v;
    if (rng != null) {
      for (int i = d.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = d[i];
        d[i] = d[j];
        d[j] = t;
      }
    }
    return d;
  }
}
