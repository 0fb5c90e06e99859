package dev.strata.tasks.sudoku;

import dev.strata.search.LocalMoves;
import java.util.Arrays;

/**
 * Single-cell moves on Sudoku candidates for the repair searches: any cell may take any digit
 * (value v is digit v+1); the suspects are the cells a min-conflict step should look at — blanks,
 * clues the candidate changed, and free cells whose digit repeats in one of their units.
 */
public final class SudokuMoves implements LocalMoves<SudokuGrid, SudokuGrid> {
  private static final int[] ALL_CELLS = new int[81];

  static {
    for (int i = 0; i < 81; i++) ALL_CELLS[i] = i;
  }

  @Override
  public int[] sites(SudokuGrid puzzle) {
    return ALL_CELLS;
  }

  @Override
  public int values(SudokuGrid puzzle, int site) {
    return 9;
  }

  @Override
  public SudokuGrid with(SudokuGrid puzzle, SudokuGrid candidate, int site, int value) {
    return candidate.with(site, value + 1);
  }

  @Override
  public int[] suspects(SudokuGrid puzzle, SudokuGrid candidate) {
    int[] out = new int[81];
    int n = 0;
    for (int c = 0; c < 81; c++) {
      int v = candidate.get(c);
      int given = puzzle.get(c);
      boolean suspect = v == 0 || (given != 0 && v != given);
      if (!suspect && given == 0) {
        for (int u : SudokuPropagation.CELL_UNITS[c]) {
          for (int q : SudokuPropagation.UNITS[u]) {
            if (q != c && candidate.get(q) == v) {
              suspect = true;
              break;
            }
          }
          if (suspect) break;
        }
      }
      if (suspect) out[n++] = c;
    }
    return Arrays.copyOf(out, n);
  }
}
