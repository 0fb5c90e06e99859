package dev.strata.tasks.sudoku;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The weakest proposer, a baseline and a stand-in when no trained model is given: keeps the clues
 * (and, in {@link #complete}, every filled cell of the partial grid) and fills each remaining cell
 * with a uniformly random digit.
 */
public final class UniformSudokuProposer implements Proposer<SudokuGrid, SudokuGrid> {

  @Override
  public List<SudokuGrid> propose(SudokuGrid puzzle, int n, RandomSource rng) {
    return complete(puzzle, puzzle, n, rng);
  }

  @Override
  public List<SudokuGrid> complete(SudokuGrid puzzle, SudokuGrid partial, int n, RandomSource rng) {
    List<SudokuGrid> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int[] v = partial.values();
      for (int c = 0; c < 81; c++) {
        if (puzzle.get(c) != 0) v[c] = puzzle.get(c);
        else if (v[c] == 0) v[c] = 1 + rng.nextInt(9);
      }
      out.add(SudokuGrid.of(v));
    }
    return out;
  }
}
