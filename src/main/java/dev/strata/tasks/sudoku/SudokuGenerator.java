package dev.strata.tasks.sudoku;

import java.util.SplittableRandom;

/**
 * Our own puzzle generator (the shared evaluation files are never trained on): fill an empty grid
 * by randomized backtracking ({@link SudokuSolver} with digits in random order), then remove clues
 * in random order, keeping a removal only while the solver still finds exactly one solution, until
 * {@code givens} clues remain (or no clue can be removed without losing uniqueness). Difficulty is
 * controlled by the number of givens; the solver's node count is reported as a second measure.
 */
public final class SudokuGenerator {

  /** A generated puzzle with its unique solution. */
  public record Generated(SudokuGrid puzzle, SudokuGrid solution, int givens, long solverNodes) {}

  private SudokuGenerator() {}

  /** A random complete valid grid. */
  public static SudokuGrid randomSolution(SplittableRandom rng) {
    return SudokuSolver.search(SudokuGrid.empty(), 1, rng).solutions().get(0);
  }

  /**
   * A puzzle with a unique solution and {@code givens} clues (more if the random removal order
   * reaches a minimal puzzle first; below about 22 that happens often).
   */
  public static Generated generate(int givens, SplittableRandom rng) {
    if (givens < 17 || givens > 81)
      throw new IllegalArgumentException("givens must lie in 17..81, got " + givens);
    SudokuGrid solution = randomSolution(rng);
    int[] order = new int[81];
    for (int i = 0; i < 81; i++) order[i] = i;
    for (int i = 80; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    SudokuGrid puzzle = solution;
    int left = 81;
    for (int i = 0; i < 81 && left > givens; i++) {
      SudokuGrid tried = puzzle.with(order[i], 0);
      if (SudokuSolver.countSolutions(tried, 2) == 1) {
        puzzle = tried;
        left--;
      }
    }
    long nodes = SudokuSolver.search(puzzle, 2, null).nodes();
    return new Generated(puzzle, solution, left, nodes);
  }
}
