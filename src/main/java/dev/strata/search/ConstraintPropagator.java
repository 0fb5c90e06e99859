package dev.strata.search;

/**
 * A constraint problem seen as a tree of partial assignments, for {@link GuidedDepthFirst}: a
 * propagated state per node, the site to branch on, its remaining values, and the (partial)
 * candidate a state stands for. Propagation is the incremental form of the rule energy's
 * constraints: a state it returns has no violated constraint among its decided sites, so whole
 * subtrees whose energy cannot reach zero are cut without scoring them.
 *
 * @param <S> the propagated state (e.g. candidate sets per cell)
 */
public interface ConstraintPropagator<P, X, S> {

  /**
   * The state with the problem's givens assigned and propagated, or null when they already
   * contradict.
   */
  S root(P problem);

  /**
   * The undecided site to branch on (e.g. the one with fewest values left), or −1 when every site
   * is decided.
   */
  int branchSite(S state);

  /** The values still possible at {@code site}. */
  int[] values(S state, int site);

  /**
   * A new state with {@code site} set to {@code value} and propagated, or null on a contradiction.
   */
  S assign(S state, int site, int value);

  /** The candidate a state stands for (undecided sites left open). */
  X candidate(P problem, S state);

  /**
   * The value a candidate (a proposer's completion) gives {@code site} when continued from {@code
   * state}, in the numbering of {@link #values}; −1 when it leaves the site open or gives a value
   * that does not apply.
   */
  int valueOf(S state, X candidate, int site);
}
