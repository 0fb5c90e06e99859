package dev.strata.bench.reasoning;

/** The energies {@code strata bench anytime} sweeps; {@link #toString()} spells them. */
public enum AnytimeEnergy {
  /** The task's exact rule energy; a candidate is accepted at energy 0. */
  RULE("rule"),
  /**
   * The trained energy ({@code strata train reasoning --task <task>-ebm}); a candidate is accepted
   * at or below its calibrated threshold.
   */
  LEARNED("learned");

  private final String spelling;

  AnytimeEnergy(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
