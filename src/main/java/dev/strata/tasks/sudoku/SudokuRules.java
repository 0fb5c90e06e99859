package dev.strata.tasks.sudoku;

import dev.strata.energy.Breakdown;
import dev.strata.energy.Energy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact rule energy of a Sudoku candidate against its puzzle: for each of the 27 all-different
 * constraints, the number of repeated digits in it (filled cells minus distinct digits), plus one
 * per clue the candidate changes, plus one per blank cell. It is 0 exactly on a valid solution that
 * keeps every clue; it is the oracle the learned energies are compared against.
 */
public final class SudokuRules implements Energy<SudokuGrid, SudokuGrid> {
  public static final String ROWS = "row repeats";
  public static final String COLUMNS = "column repeats";
  public static final String BOXES = "box repeats";
  public static final String CLUES = "clue mismatches";
  public static final String BLANKS = "blank cells";

  @Override
  public float[] energies(SudokuGrid puzzle, List<SudokuGrid> candidates) {
    float[] e = new float[candidates.size()];
    for (int i = 0; i < e.length; i++) {
      int[] t = terms(puzzle, candidates.get(i));
      e[i] = t[0] + t[1] + t[2] + t[3] + t[4];
    }
    return e;
  }

  @Override
  public Breakdown explain(SudokuGrid puzzle, SudokuGrid candidate) {
    int[] t = terms(puzzle, candidate);
    Map<String, Float> m = new LinkedHashMap<>();
    m.put(ROWS, (float) t[0]);
    m.put(COLUMNS, (float) t[1]);
    m.put(BOXES, (float) t[2]);
    m.put(CLUES, (float) t[3]);
    m.put(BLANKS, (float) t[4]);
    return new Breakdown(t[0] + t[1] + t[2] + t[3] + t[4], m);
  }

  /** {row repeats, column repeats, box repeats, clue mismatches, blank cells}. */
  public static int[] terms(SudokuGrid puzzle, SudokuGrid candidate) {
    int[] t = new int[5];
    for (int u = 0; u < 27; u++) t[u / 9] += repeats(candidate, SudokuPropagation.UNITS[u]);
    for (int c = 0; c < 81; c++) {
      int given = puzzle.get(c);
      int v = candidate.get(c);
      if (given != 0 && v != given) t[3]++;
      if (v == 0) t[4]++;
    }
    return t;
  }

  /** Filled cells of the unit minus distinct digits among them. */
  public static int repeats(SudokuGrid g, int[] unit) {
    int seen = 0;
    int filled = 0;
    for (int c : unit) {
      int v = g.get(c);
      if (v != 0) {
        filled++;
        seen |= 1 << v;
      }
    }
    return filled - Integer.bitCount(seen);
  }

  /** Whether {@code candidate} solves {@code puzzle} (energy 0). */
  public static boolean solves(SudokuGrid puzzle, SudokuGrid candidate) {
    int[] t = terms(puzzle, candidate);
    return t[0] + t[1] + t[2] + t[3] + t[4] == 0;
  }
}
