package dev.strata.tasks.sudoku;

/**
 * Constraint propagation on candidate sets (Norvig, "Solving Every Sudoku Puzzle", 2006): each cell
 * keeps a 9-bit mask of the digits still possible (bit d−1 for digit d); eliminating a digit
 * propagates the two classic rules — a cell left with one digit removes it from its 20 peers (naked
 * single), and a digit with one place left in a unit goes there (hidden single). A mask of 0 is a
 * contradiction. These are exactly the constraints of {@link SudokuRules}, applied incrementally.
 */
public final class SudokuPropagation {
  public static final int ALL = 0x1FF;

  /** The 27 units (9 rows, 9 columns, 9 boxes) as cell indices. */
  public static final int[][] UNITS = new int[27][9];

  /** The three units of each cell: row, column, box. */
  public static final int[][] CELL_UNITS = new int[81][3];

  /** The 20 peers of each cell (same row, column or box). */
  public static final int[][] PEERS = new int[81][20];

  static {
    for (int i = 0; i < 9; i++) {
      for (int j = 0; j < 9; j++) {
        UNITS[i][j] = i * 9 + j; // row i
        UNITS[9 + i][j] = j * 9 + i; // column i
        UNITS[18 + i][j] = ((i / 3) * 3 + j / 3) * 9 + (i % 3) * 3 + j % 3; // box i
      }
    }
    for (int c = 0; c < 81; c++) {
      CELL_UNITS[c][0] = SudokuGrid.row(c);
      CELL_UNITS[c][1] = 9 + SudokuGrid.col(c);
      CELL_UNITS[c][2] = 18 + SudokuGrid.box(c);
      int n = 0;
      for (int p = 0; p < 81; p++) {
        if (p != c
            && (SudokuGrid.row(p) == SudokuGrid.row(c)
                || SudokuGrid.col(p) == SudokuGrid.col(c)
                || SudokuGrid.box(p) == SudokuGrid.box(c))) {
          PEERS[c][n++] = p;
        }
      }
    }
  }

  private SudokuPropagation() {}

  public static int bit(int digit) {
    return 1 << (digit - 1);
  }

  /** The digit of a single-bit mask. */
  public static int digit(int mask) {
    return Integer.numberOfTrailingZeros(mask) + 1;
  }

  /**
   * Masks with every given assigned and propagated, or null when the givens contradict each other.
   */
  public static int[] initial(SudokuGrid puzzle) {
    int[] masks = new int[81];
    java.util.Arrays.fill(masks, ALL);
    for (int c = 0; c < 81; c++) {
      int v = puzzle.get(c);
      if (v != 0 && !assign(masks, c, v)) return null;
    }
    return masks;
  }

  /**
   * Sets {@code cell} to {@code digit} in place and propagates; false on a contradiction (masks
   * then undefined).
   */
  public static boolean assign(int[] masks, int cell, int digit) {
    if ((masks[cell] & bit(digit)) == 0) return false;
    int others = masks[cell] & ~bit(digit);
    while (others != 0) {
      int low = others & -others;
      if (!eliminate(masks, cell, digit(low))) return false;
      others &= ~low;
    }
    return true;
  }

  /**
   * Removes {@code digit} from {@code cell}'s candidates in place and propagates; false on a
   * contradiction.
   */
  public static boolean eliminate(int[] masks, int cell, int digit) {
    int b = bit(digit);
    if ((masks[cell] & b) == 0) return true;
    masks[cell] &= ~b;
    int m = masks[cell];
    if (m == 0) return false;
    if ((m & (m - 1)) == 0) { // naked single: remove its digit from the peers
      int d = digit(m);
      for (int p : PEERS[cell]) {
        if (!eliminate(masks, p, d)) return false;
      }
    }
    for (int u : CELL_UNITS[cell]) { // hidden single: the digit's last place in a unit
      int place = -1;
      int count = 0;
      for (int q : UNITS[u]) {
        if ((masks[q] & b) != 0) {
          count++;
          place = q;
        }
      }
      if (count == 0) return false;
      if (count == 1 && masks[place] != b && !assign(masks, place, digit)) return false;
    }
    return true;
  }

  /**
   * The undecided cell with the fewest candidates (minimum remaining values), or −1 when every cell
   * is decided.
   */
  public static int mostConstrained(int[] masks) {
    int best = -1;
    int bestCount = 10;
    for (int c = 0; c < 81; c++) {
      int n = Integer.bitCount(masks[c]);
      if (n > 1 && n < bestCount) {
        best = c;
        bestCount = n;
        if (n == 2) break;
      }
    }
    return best;
  }

  /** The grid of decided cells (single-candidate masks); undecided cells blank. */
  public static SudokuGrid grid(int[] masks) {
    int[] v = new int[81];
    for (int c = 0; c < 81; c++) {
      int m = masks[c];
      v[c] = m != 0 && (m & (m - 1)) == 0 ? digit(m) : 0;
    }
    return SudokuGrid.of(v);
  }
}
