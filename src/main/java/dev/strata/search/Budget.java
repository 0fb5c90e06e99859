package dev.strata.search;

import java.time.Duration;

/**
 * What a search may spend, and when it may stop early: it stops as soon as a candidate's energy is
 * at or below {@code acceptBelow} (adaptive compute: easy problems are cheap), or when any limit is
 * reached.
 *
 * @param proposals most candidates drawn from the proposer
 * @param energyEvaluations most candidates scored by the energy
 * @param wallTime most wall-clock time
 * @param acceptBelow energy at or below which a candidate is accepted and the search stops
 */
public record Budget(
    long proposals, long energyEvaluations, Duration wallTime, double acceptBelow) {

  public Budget {
    if (proposals <= 0 || energyEvaluations <= 0) {
      throw new IllegalArgumentException(
          "budget limits must be positive (proposals "
              + proposals
              + ", energy evaluations "
              + energyEvaluations
              + ")");
    }
    if (wallTime.isNegative() || wallTime.isZero()) {
      throw new IllegalArgumentException("budget wall time must be positive, got " + wallTime);
    }
  }

  /** No limit but the given number of proposals; accepts only energy ≤ {@code acceptBelow}. */
  public static Budget proposals(long n, double acceptBelow) {
    return new Budget(n, Long.MAX_VALUE, Duration.ofDays(365), acceptBelow);
  }

  public Budget withProposals(long n) {
    return new Budget(n, energyEvaluations, wallTime, acceptBelow);
  }

  public Budget withEnergyEvaluations(long n) {
    return new Budget(proposals, n, wallTime, acceptBelow);
  }

  public Budget withWallTime(Duration d) {
    return new Budget(proposals, energyEvaluations, d, acceptBelow);
  }

  public Budget withAcceptBelow(double e) {
    return new Budget(proposals, energyEvaluations, wallTime, e);
  }
}
