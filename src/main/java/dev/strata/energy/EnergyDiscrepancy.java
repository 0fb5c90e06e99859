package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Tensor;

/**
 * The energy-discrepancy loss with single-site perturbations (spec "Residual EBM"; Schröder et al.,
 * NeurIPS 2023, "Energy Discrepancies"): for a data point y and M perturbations y'_j (one position
 * resampled uniformly), L = log(w + Σ_j exp(E(y) − E(y'_j))) — small when y sits below every one of
 * its neighbours. The stabiliser w &gt; 0 bounds the loss below by log w and stops it from
 * rewarding an ever larger gap once y is clearly lowest.
 */
public final class EnergyDiscrepancy {
  private EnergyDiscrepancy() {}

  /**
   * The same loss from the gaps E(y) − E(y'_j), (B, M); gaps set to −∞ drop out (e.g. perturbations
   * a task forbids, or the "change" to the value a site already has).
   */
  public static Tensor lossFromGaps(Tensor gaps, double w) {
    if (!(w > 0))
      throw new IllegalArgumentException(
          "the energy-discrepancy stabiliser w must be positive, got " + w);
    Tensor withW =
        cat(1, fullLike(gaps.narrow(1, 0, 1), Math.log(w)), gaps); // (B, 1+M): log w joins the sum
    return logsumexp(withW, 1, false).mean();
  }

  /** data (B), perturbed (B, M) energies → mean loss (scalar). */
  public static Tensor loss(Tensor data, Tensor perturbed, double w) {
    return lossFromGaps(data.unsqueeze(1).sub(perturbed), w); // gaps (B, M): E(y) − E(y'_j)
  }
}
