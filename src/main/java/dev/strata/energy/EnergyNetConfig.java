package dev.strata.energy;

/**
 * Shape of an {@link EnergyNet}.
 *
 * @param conditionVocab token ids of the problem stream (e.g. 10: blank + digits)
 * @param candidateVocab token ids of the candidate stream
 * @param length positions (both streams are aligned, one token each per position)
 * @param dModel width
 * @param heads attention heads
 * @param layers bidirectional transformer blocks
 * @param grid 0 for a sequence (one learned embedding per position); else the side of a square
 *     grid, and positions embed their row, their column and their block (a generic 2-D prior, e.g.
 *     9 for Sudoku)
 * @param block side of a grid block (e.g. 3 for Sudoku's boxes; 0: no block embedding)
 */
public record EnergyNetConfig(
    int conditionVocab,
    int candidateVocab,
    int length,
    int dModel,
    int heads,
    int layers,
    int grid,
    int block) {
  public EnergyNetConfig {
    if (conditionVocab <= 0
        || candidateVocab <= 0
        || length <= 0
        || dModel <= 0
        || heads <= 0
        || layers <= 0) {
      throw new IllegalArgumentException(
          "energy net sizes must be positive: "
              + conditionVocab
              + ", "
              + candidateVocab
              + ", "
              + length
              + ", "
              + dModel
              + ", "
              + heads
              + ", "
              + layers);
    }
    if (grid < 0
        || (grid > 0 && grid * grid != length)
        || block < 0
        || (block > 0 && (grid == 0 || grid % block != 0))) {
      throw new IllegalArgumentException(
          "a grid of side "
              + grid
              + " with blocks of "
              + block
              + " does not fit "
              + length
              + " positions");
    }
  }

  /** A plain sequence of {@code length} positions. */
  public static EnergyNetConfig sequence(
      int conditionVocab, int candidateVocab, int length, int dModel, int heads, int layers) {
    return new EnergyNetConfig(conditionVocab, candidateVocab, length, dModel, heads, layers, 0, 0);
  }
}
