package dev.strata.bench.reasoning;

/**
 * The search of an expert-iteration round: best-of-K over the proposer's samples (ReST-EM), or the
 * complete search (constraint propagation + depth-first, the proposer's answers tried first), whose
 * answers the proposer then imitates (expert iteration proper: the search is the expert).
 */
public enum ExpertSearch {
  BEST_OF("best-of"),
  COMPLETE("complete");

  private final String spelling;

  ExpertSearch(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }

  /** The search spelled {@code s}. */
  public static ExpertSearch of(String s) {
    for (ExpertSearch e : values()) if (e.spelling.equals(s)) return e;
    throw new IllegalArgumentException("unknown search '" + s + "'; choose best-of or complete");
  }
}
