package dev.strata.bench.reasoning;

/**
 * The searches {@code strata bench anytime} sweeps, with the settings it runs them at; {@link
 * #toString()} spells them. Every one stops at the first accepted candidate or when the budget of
 * energy evaluations is spent.
 */
public enum AnytimeSearch {
  /** {@code BestOfN}, batches of {@link #BATCH}. */
  BEST_OF_N("best-of-n"),
  /**
   * {@code ImportanceResampling} at τ = {@link #TEMPERATURE}: all candidates drawn at once, the
   * answer drawn ∝ exp(−E/τ) among them (not the lowest).
   */
  IMPORTANCE("importance"),
  /**
   * {@code IndependenceMetropolis} at τ = {@link #TEMPERATURE}, batches of {@link #BATCH}; its
   * answer is the lowest energy seen, like best-of-N's (the chain only decides its own state).
   */
  METROPOLIS("metropolis"),
  /** {@code MinConflictRepair} over the task's single-site moves, noise 0.1, patience 60. */
  MIN_CONFLICT("min-conflict"),
  /**
   * {@code GibbsRepair} over the task's single-site moves, τ = {@link #TEMPERATURE}, patience 60.
   */
  GIBBS("gibbs"),
  /**
   * {@code RemaskRepair} over the task's remasking, 4 refills per round, half the blamed positions
   * and 2% of the others reopened, patience 4.
   */
  REMASK("remask"),
  /** {@code ValueBeamProposer} judged by the energy: needs a fitted prefix value head. */
  VALUE_BEAM("value-beam"),
  /**
   * {@code GuidedDepthFirst}: the complete search over the task's constraint propagator, its leaves
   * the energy evaluations (propagation costs none), the proposer's completions tried first.
   */
  COMPLETE("complete");

  /** Candidates per proposer call of the batched searches. */
  public static final int BATCH = 64;

  /** τ of the sampling searches. */
  public static final double TEMPERATURE = 1.0;

  private final String spelling;

  AnytimeSearch(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
