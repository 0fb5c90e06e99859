package dev.strata.energy;

/**
 * Shape of a {@link CrossEncoderEnergyNet}.
 *
 * @param vocab token ids shared by the problem and the candidate stream (a task codec's vocabulary)
 * @param maxProblem most problem tokens
 * @param maxCandidate most candidate tokens
 * @param dModel width
 * @param heads attention heads
 * @param layers bidirectional transformer blocks
 */
public record CrossEncoderConfig(
    int vocab, int maxProblem, int maxCandidate, int dModel, int heads, int layers) {
  public CrossEncoderConfig {
    if (vocab <= 0
        || maxProblem <= 0
        || maxCandidate <= 0
        || dModel <= 0
        || heads <= 0
        || layers <= 0) {
      throw new IllegalArgumentException(
          "cross-encoder sizes must be positive: vocab "
              + vocab
              + ", problem "
              + maxProblem
              + ", candidate "
              + maxCandidate
              + ", width "
              + dModel
              + ", heads "
              + heads
              + ", layers "
              + layers);
    }
    if (dModel % heads != 0)
      throw new IllegalArgumentException(
          "width " + dModel + " is not a multiple of " + heads + " heads");
  }
}
