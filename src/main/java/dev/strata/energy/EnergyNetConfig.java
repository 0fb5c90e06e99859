package dev.strata.energy;

/**
 * Shape of an {@link EnergyNet}.
 *
 * @param conditionVocab token ids of the problem stream (e.g. 10: blank + digits)
 * @param candidateVocab token ids of the candidate stream
 * @param length         positions (both streams are aligned, one token each per position)
 * @param dModel         width
 * @param heads          attention heads
 * @param layers         bidirectional transformer blocks
 */
public record EnergyNetConfig(int conditionVocab, int candidateVocab, int length, int dModel, int heads, int layers) {
    public EnergyNetConfig {
        if (conditionVocab <= 0 || candidateVocab <= 0 || length <= 0 || dModel <= 0 || heads <= 0 || layers <= 0) {
            throw new IllegalArgumentException("energy net sizes must be positive: " + conditionVocab + ", " + candidateVocab
                    + ", " + length + ", " + dModel + ", " + heads + ", " + layers);
        }
    }
}
