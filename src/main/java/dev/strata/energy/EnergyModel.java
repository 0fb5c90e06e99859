package dev.strata.energy;

import dev.strata.nn.Tensor;

/**
 * A trainable energy over (problem, candidate) token streams: int64 (B, Tp) and (B, Tc) → energies
 * (B). The contract {@link LearnedEnergy} scores with and {@link RankingNce} / {@link
 * EnergyDiscrepancy} train; implemented by the transformer {@link EnergyNet} and the pairwise
 * {@link PairwiseEnergyNet} (aligned streams, Tp = Tc) and the {@link CrossEncoderEnergyNet} (any
 * lengths).
 */
public interface EnergyModel {
  /** int64 (B, Tp) problem and (B, Tc) candidate tokens → energies (B). */
  Tensor forward(Tensor problem, Tensor candidate);
}
