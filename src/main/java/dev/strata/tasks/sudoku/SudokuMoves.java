package dev.strata.tasks.sudoku;

import dev.strata.search.LocalMoves;
import java.util.Arrays;

/**
 * Single-cell moves on Sudoku candidates for the repair searches: any cell may take any digit
 * (value v is digit v+1); the suspects are the cells a min-conflict step should look at — blanks,
 * clues the candidate changed, and free cells whose digit repeats in one of their all-different
 * groups. The groups are the rules' 27 rows, columns and boxes ({@link #SudokuMoves()}), or any
 * others, such as the ones a learned energy implies ({@link #SudokuMoves(int[][])}), so a repair
 * labelled "learned" reads no rule.
 */
public final class SudokuMoves implements LocalMoves<SudokuGrid, SudokuGrid> {
  private static final int[] ALL_CELLS = new int[81];

  static {
    for (int i = 0; i < 81; i++) ALL_CELLS[i] = i;
  }

  private final int[][] groups; // cells that must all differ
  private final int[][] cellGroups; // cell -> indices into groups

  /** Suspects from the rules' units (rows, columns, boxes). */
  public SudokuMoves() {
    this(SudokuPropagation.UNITS);
  }

  /** Suspects from the given all-different groups of cells (each cell index in 0..80). */
  public SudokuMoves(int[][] groups) {
    this.groups = new int[groups.length][];
    int[] count = new int[81];
    for (int g = 0; g < groups.length; g++) {
      this.groups[g] = groups[g].clone();
      for (int c : groups[g]) {
        if (c < 0 || c >= 81)
          throw new IllegalArgumentException("a group holds cell " + c + ", not in 0..80");
        count[c]++;
      }
    }
    cellGroups = new int[81][];
    for (int c = 0; c < 81; c++) cellGroups[c] = new int[count[c]];
    int[] filled = new int[81];
    for (int g = 0; g < groups.length; g++) for (int c : groups[g]) cellGroups[c][filled[c]++] = g;
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
        for (int u : cellGroups[c]) {
          for (int q : groups[u]) {
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
