package dev.strata.tasks.sudoku;

import dev.strata.search.ConstraintPropagator;

/**
 * Sudoku as a constraint problem for {@link dev.strata.search.GuidedDepthFirst}: the state is the
 * 81 candidate masks of {@link SudokuPropagation}, branching is on the most constrained cell,
 * values are digits 1–9.
 */
public final class SudokuConstraints
    implements ConstraintPropagator<SudokuGrid, SudokuGrid, int[]> {

  @Override
  public int[] root(SudokuGrid puzzle) {
    return SudokuPropagation.initial(puzzle);
  }

  @Override
  public int branchSite(int[] masks) {
    return SudokuPropagation.mostConstrained(masks);
  }

  @Override
  public int[] values(int[] masks, int site) {
    int m = masks[site];
    int[] d = new int[Integer.bitCount(m)];
    int n = 0;
    for (int v = 1; v <= 9; v++) if ((m & SudokuPropagation.bit(v)) != 0) d[n++] = v;
    return d;
  }

  @Override
  public int[] assign(int[] masks, int site, int value) {
    int[] child = masks.clone();
    return SudokuPropagation.assign(child, site, value) ? child : null;
  }

  @Override
  public SudokuGrid candidate(SudokuGrid puzzle, int[] masks) {
    return SudokuPropagation.grid(masks);
  }

  @Override
  public int valueOf(int[] masks, SudokuGrid candidate, int site) {
    int v = candidate.get(site);
    return v == 0 ? -1 : v;
  }
}
