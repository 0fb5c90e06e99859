package dev.strata.propose;

import java.util.List;

/**
 * Layer 1 of Strata (PROPOSE): a fast generator of candidate answers {@code X} for a problem {@code
 * P}. Batched: one call returns {@code n} candidates, because each native op costs microseconds.
 */
public interface Proposer<P, X> {

  /** {@code n} candidates drawn from scratch. */
  List<X> propose(P problem, int n, RandomSource rng);

  /**
   * {@code n} candidates that keep what {@code partial} already fixes and fill in (or repair) the
   * rest. The meaning of "fixed" is the candidate type's (a grid with blanks, a prefix of tokens,
   * the tail of an action plan).
   */
  List<X> complete(P problem, X partial, int n, RandomSource rng);
}
