package dev.strata.energy;

import java.util.List;

/**
 * Layer 2 of Strata (EVALUATE): a judge of whole candidates. Lower is better; batched, one call
 * scores many candidates.
 */
public interface Energy<P, X> {

  /** One energy per candidate, in order. */
  float[] energies(P problem, List<X> candidates);

  /** The energy of a single candidate. */
  default float energy(P problem, X candidate) {
    return energies(problem, List.of(candidate))[0];
  }

  /** The energy split into named terms for a user; energies without parts report a single term. */
  default Breakdown explain(P problem, X candidate) {
    return Breakdown.single("energy", energy(problem, candidate));
  }
}
