package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Tensor;

/**
 * Ranking noise-contrastive estimation for energies (spec "Residual EBM"; Ma &amp; Collins 2018):
 * with one positive y⁺ and K negatives per row, L = −log[e^{−E(y⁺)} / (e^{−E(y⁺)} + Σ_k
 * e^{−E(y⁻_k)})], i.e. the cross-entropy of the softmax over −E with the positive as the class.
 * Negatives drawn from the proposer itself (its own wrong samples) make the residual energy correct
 * exactly where the proposer errs; the proposal density cancels in this ranking form.
 */
public final class RankingNce {
  private RankingNce() {}

  /** positive (B), negatives (B, K) energies → mean loss (scalar). */
  public static Tensor loss(Tensor positive, Tensor negatives) {
    Tensor logits = cat(1, positive.unsqueeze(1), negatives).neg(); // (B, 1+K)
    long b = positive.size(0);
    return crossEntropy(logits, zeros(dev.strata.nn.DType.INT64, b));
  }
}
