package dev.strata.energy;

/**
 * Shape of a {@link PairwiseEnergyNet}.
 *
 * @param conditionVocab token ids of the problem stream (e.g. 10 for Sudoku: blank + digits)
 * @param candidateVocab token ids of the candidate stream; id 0 means "open" (an undecided site, no
 *     energy), so the model has {@code candidateVocab − 1} values per site (e.g. 10 → the digits
 *     1..9)
 * @param length sites (both streams are aligned, one token each per site)
 */
public record PairwiseEnergyConfig(int conditionVocab, int candidateVocab, int length) {
  public PairwiseEnergyConfig {
    if (conditionVocab <= 0 || candidateVocab <= 1 || length <= 1) {
      throw new IllegalArgumentException(
          "a pairwise energy needs a problem vocabulary ≥ 1, a candidate vocabulary ≥ 2 "
              + "(id 0 = open) and ≥ 2 sites; got "
              + conditionVocab
              + ", "
              + candidateVocab
              + ", "
              + length);
    }
  }

  /** Values a site can take (the candidate ids 1..candidateVocab−1). */
  public int values() {
    return candidateVocab - 1;
  }

  /** Rows of the pair table: one per (site, value). */
  public int units() {
    return length * values();
  }
}
