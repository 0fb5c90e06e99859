package dev.strata.tasks.sudoku;

import dev.strata.propose.SequenceCodec;

/**
 * Sudoku as tokens, in the layout of the "Beyond Autoregression" AR baseline (Ye et al., ICLR'25):
 * the 81 puzzle digits (0 = blank), a separator, then the 81 solution digits in row-major order.
 * Vocabulary: digits 0–9 and the separator 10. Constraint masking allows, at each answer cell, the
 * clue if the cell has one, else the digits not yet used in its row, column or box by the clues and
 * the cells decoded so far.
 */
public final class SudokuCodec implements SequenceCodec<SudokuGrid, SudokuGrid> {
  public static final int SEPARATOR = 10;

  @Override
  public int vocab() {
    return 11;
  }

  @Override
  public long[] prompt(SudokuGrid puzzle) {
    long[] p = new long[82];
    for (int c = 0; c < 81; c++) p[c] = puzzle.get(c);
    p[81] = SEPARATOR;
    return p;
  }

  @Override
  public int answerLength(SudokuGrid puzzle) {
    return 81;
  }

  @Override
  public long[] answer(SudokuGrid puzzle, SudokuGrid candidate) {
    long[] a = new long[81];
    for (int c = 0; c < 81; c++) a[c] = candidate.get(c);
    return a;
  }

  @Override
  public SudokuGrid decode(SudokuGrid puzzle, long[] answer) {
    int[] v = new int[81];
    for (int c = 0; c < 81; c++)
      v[c] =
          answer[c] >= 1 && answer[c] <= 9
              ? (int) answer[c]
              : 0; // a stray separator reads as blank
    return SudokuGrid.of(v);
  }

  @Override
  public long fixed(SudokuGrid puzzle, SudokuGrid partial, int t) {
    int v = partial.get(t);
    return v == 0 ? -1 : v;
  }

  @Override
  public boolean[] allowed(SudokuGrid puzzle, long[] answer, int t) {
    boolean[] ok = new boolean[11];
    int given = puzzle.get(t);
    if (given != 0) {
      ok[given] = true;
      return ok;
    }
    int used = 0;
    for (int p : SudokuPropagation.PEERS[t]) {
      int v = p < t ? (int) answer[p] : puzzle.get(p);
      if (v >= 1 && v <= 9) used |= 1 << v;
    }
    for (int d = 1; d <= 9; d++) ok[d] = (used & (1 << d)) == 0;
    return ok;
  }
}
