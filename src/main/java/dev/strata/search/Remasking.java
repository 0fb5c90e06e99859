package dev.strata.search;

/**
 * Blame and re-masking for {@link RemaskRepair}: which positions of a candidate the energy blames
 * (the cells of a violated constraint, the tokens from the first faulty step on), and the candidate
 * with positions opened again — a partial candidate in the sense of {@link
 * dev.strata.propose.Proposer#complete}, which a masked-diffusion proposer refills with its
 * denoiser.
 */
public interface Remasking<P, X> {

  /** The positions that may be opened at all (e.g. the blank cells of the puzzle; givens stay). */
  int[] positions(P problem);

  /**
   * The positions of {@code candidate} the energy blames; empty when it blames none (or cannot
   * say).
   */
  int[] blamed(P problem, X candidate);

  /**
   * {@code candidate} with {@code positions} opened: the partial candidate the proposer completes.
   */
  X open(P problem, X candidate, int[] positions);
}
