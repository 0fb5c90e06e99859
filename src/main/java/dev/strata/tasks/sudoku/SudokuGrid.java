package dev.strata.tasks.sudoku;

import java.util.Arrays;

/**
 * A 9×9 Sudoku grid, immutable: 81 cells in row-major order, each 0 (blank) or a digit 1–9. A
 * puzzle is a grid of givens; a candidate answer is a grid too (complete when it has no blank). The
 * text form is the common 81-character line, '0' or '.' for a blank.
 */
public final class SudokuGrid {
  public static final int SIZE = 9;
  public static final int CELLS = 81;

  private final byte[] cells;

  private SudokuGrid(byte[] cells) {
    this.cells = cells;
  }

  /** A grid from 81 values 0–9 (copied). */
  public static SudokuGrid of(int[] values) {
    if (values.length != CELLS)
      throw new IllegalArgumentException("a Sudoku grid has 81 cells, got " + values.length);
    byte[] b = new byte[CELLS];
    for (int i = 0; i < CELLS; i++) {
      if (values[i] < 0 || values[i] > 9) {
        throw new IllegalArgumentException(
            "cell " + i + " holds " + values[i] + "; cells hold 0 (blank) or 1–9");
      }
      b[i] = (byte) values[i];
    }
    return new SudokuGrid(b);
  }

  /** The empty grid. */
  public static SudokuGrid empty() {
    return new SudokuGrid(new byte[CELLS]);
  }

  /**
   * Parses the 81-character form: digits 1–9 for givens, '0' or '.' for blanks; surrounding
   * whitespace is ignored.
   *
   * @throws IllegalArgumentException with a one-line explanation for a wrong length or a bad
   *     character
   */
  public static SudokuGrid parse(String text) {
    String s = text.strip();
    if (s.length() != CELLS) {
      throw new IllegalArgumentException(
          "a Sudoku puzzle is 81 characters (digits 1-9, '0' or '.' for blanks), got "
              + s.length());
    }
    byte[] b = new byte[CELLS];
    for (int i = 0; i < CELLS; i++) {
      char c = s.charAt(i);
      if (c == '.' || c == '0') {
        b[i] = 0;
      } else if (c >= '1' && c <= '9') {
        b[i] = (byte) (c - '0');
      } else {
        throw new IllegalArgumentException(
            "bad character '"
                + c
                + "' at position "
                + (i + 1)
                + " of the puzzle (row "
                + (i / 9 + 1)
                + ", column "
                + (i % 9 + 1)
                + "); use 1-9, '0' or '.'");
      }
    }
    return new SudokuGrid(b);
  }

  public int get(int cell) {
    return cells[cell];
  }

  public int get(int row, int col) {
    return cells[row * SIZE + col];
  }

  /** A copy with {@code cell} set to {@code value} (0 clears it). */
  public SudokuGrid with(int cell, int value) {
    if (value < 0 || value > 9) throw new IllegalArgumentException("cells hold 0–9, got " + value);
    byte[] b = cells.clone();
    b[cell] = (byte) value;
    return new SudokuGrid(b);
  }

  /** The 81 values as ints (a copy). */
  public int[] values() {
    int[] v = new int[CELLS];
    for (int i = 0; i < CELLS; i++) v[i] = cells[i];
    return v;
  }

  /** Number of filled cells. */
  public int filled() {
    int n = 0;
    for (byte c : cells) if (c != 0) n++;
    return n;
  }

  public boolean isComplete() {
    return filled() == CELLS;
  }

  public static int row(int cell) {
    return cell / SIZE;
  }

  public static int col(int cell) {
    return cell % SIZE;
  }

  public static int box(int cell) {
    return (cell / 27) * 3 + (cell % 9) / 3;
  }

  /** The 81-character form, '0' for blanks. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(CELLS);
    for (byte c : cells) sb.append((char) ('0' + c));
    return sb.toString();
  }

  /** A 9×9 picture with box borders, '.' for blanks. */
  public String pretty() {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < SIZE; r++) {
      if (r > 0 && r % 3 == 0) sb.append("------+-------+------\n");
      for (int c = 0; c < SIZE; c++) {
        if (c > 0 && c % 3 == 0) sb.append("| ");
        int v = get(r, c);
        sb.append(v == 0 ? '.' : (char) ('0' + v));
        if (c < SIZE - 1) sb.append(' ');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SudokuGrid g && Arrays.equals(cells, g.cells);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cells);
  }
}
