package dev.strata.search;

/**
 * Single-site moves on a candidate made of discrete sites (the cells of a grid, the tokens of a
 * sequence), for the repair searches ({@link MinConflictRepair}, {@link GibbsRepair}): which sites
 * may change, how many values each takes, and the candidate with one site changed.
 */
public interface LocalMoves<P, X> {

  /** The sites a move may change (e.g. the blank cells of a puzzle; givens stay fixed). */
  int[] sites(P problem);

  /** Number of values a site takes; values are 0..values−1. */
  int values(P problem, int site);

  /** A copy of {@code candidate} with {@code site} set to {@code value}. */
  X with(P problem, X candidate, int site, int value);

  /**
   * The sites worth changing in {@code candidate} (e.g. cells in a violated constraint), from which
   * moves are drawn; an empty answer means "none known", and the search then draws from all {@link
   * #sites}.
   */
  default int[] suspects(P problem, X candidate) {
    return sites(problem);
  }
}
