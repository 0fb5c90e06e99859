package dev.strata.bench.reasoning;

/** The Sudoku energy models {@link SudokuEbmTraining} trains; {@link #toString()} spells them. */
public enum SudokuEnergyKind {
  /** Prices partial grids, so the complete search prunes with it. */
  PAIRWISE(SudokuEbmTraining.PAIRWISE),
  /** A transformer over the whole grid. */
  TRANSFORMER(SudokuEbmTraining.TRANSFORMER);

  private final String spelling;

  SudokuEnergyKind(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
