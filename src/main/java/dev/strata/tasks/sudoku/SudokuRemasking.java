package dev.strata.tasks.sudoku;

import dev.strata.search.Remasking;
import java.util.Arrays;

/**
 * Remasking for Sudoku ({@link dev.strata.search.RemaskRepair}): the open positions are the
 * puzzle's blank cells; the rule energy blames the free cells whose digit repeats in a row, column
 * or box, and blank ones ({@link SudokuMoves#suspects}); opening a cell blanks it, and the givens
 * are always restored.
 */
public final class SudokuRemasking implements Remasking<SudokuGrid, SudokuGrid> {
  private final SudokuMoves moves = new SudokuMoves();

  @Override
  public int[] positions(SudokuGrid puzzle) {
    int[] out = new int[81];
    int n = 0;
    for (int c = 0; c < 81; c++) if (puzzle.get(c) == 0) out[n++] = c;
    return Arrays.copyOf(out, n);
  }

  @Override
  public int[] blamed(SudokuGrid puzzle, SudokuGrid candidate) {
    return Arrays.stream(moves.suspects(puzzle, candidate))
        .filter(c -> puzzle.get(c) == 0)
        .toArray();
  }

  @Override
  public SudokuGrid open(SudokuGrid puzzle, SudokuGrid candidate, int[] positions) {
    int[] v = new int[81];
    for (int c = 0; c < 81; c++) v[c] = puzzle.get(c) != 0 ? puzzle.get(c) : candidate.get(c);
    for (int c : positions) if (puzzle.get(c) == 0) v[c] = 0;
    return SudokuGrid.of(v);
  }
}
