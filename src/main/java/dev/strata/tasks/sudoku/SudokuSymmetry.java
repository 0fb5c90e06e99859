package dev.strata.tasks.sudoku;

import java.util.SplittableRandom;

/**
 * A validity-preserving transformation of Sudoku grids (data augmentation for training): a
 * relabelling of the digits, a permutation of the bands and of the rows inside each band, the same
 * for stacks and columns, and an optional transposition. Applied to a puzzle and its solution
 * alike, it maps a valid pair to a valid pair.
 */
public final class SudokuSymmetry {
  private final int[] digit = new int[10]; // digit[d]: relabelled digit, digit[0] = 0
  private final int[] source = new int[81]; // cell of the input that lands on each output cell

  private SudokuSymmetry() {}

  public static SudokuSymmetry identity() {
    SudokuSymmetry s = new SudokuSymmetry();
    for (int d = 0; d < 10; d++) s.digit[d] = d;
    for (int c = 0; c < 81; c++) s.source[c] = c;
    return s;
  }

  public static SudokuSymmetry random(SplittableRandom rng) {
    SudokuSymmetry s = new SudokuSymmetry();
    int[] perm = shuffled(9, rng);
    for (int d = 1; d <= 9; d++) s.digit[d] = perm[d - 1] + 1;
    int[] rows = lines(rng);
    int[] cols = lines(rng);
    boolean transpose = rng.nextBoolean();
    for (int r = 0; r < 9; r++) {
      for (int c = 0; c < 9; c++) {
        int sr = rows[r];
        int sc = cols[c];
        s.source[r * 9 + c] = transpose ? sc * 9 + sr : sr * 9 + sc;
      }
    }
    return s;
  }

  public SudokuGrid apply(SudokuGrid g) {
    int[] v = new int[81];
    for (int c = 0; c < 81; c++) v[c] = digit[g.get(source[c])];
    return SudokuGrid.of(v);
  }

  /** A permutation of 0..8 that keeps bands: bands shuffled, lines shuffled inside each band. */
  private static int[] lines(SplittableRandom rng) {
    int[] bands = shuffled(3, rng);
    int[] out = new int[9];
    for (int b = 0; b < 3; b++) {
      int[] inner = shuffled(3, rng);
      for (int i = 0; i < 3; i++) out[b * 3 + i] = bands[b] * 3 + inner[i];
    }
    return out;
  }

  private static int[] shuffled(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
