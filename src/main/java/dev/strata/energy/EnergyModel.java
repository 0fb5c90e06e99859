package dev.strata.energy;

import org.bytedeco.pytorch.Tensor;

/**
 * A trainable energy over aligned (problem, candidate) token streams: int64 (B, T) and (B, T) → energies (B). The
 * contract {@link LearnedEnergy} scores with and {@link RankingNce} / {@link EnergyDiscrepancy} train; implemented by
 * the transformer {@link EnergyNet} and the pairwise {@link PairwiseEnergyNet}.
 */
public interface EnergyModel {
  /** int64 (B, T) problem and candidate tokens → energies (B). */
  Tensor forward(Tensor problem, Tensor candidate);
}
