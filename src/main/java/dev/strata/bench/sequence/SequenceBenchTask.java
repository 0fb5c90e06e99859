package dev.strata.bench.sequence;

/**
 * The synthetic sequence benchmarks of {@code strata bench sequence --task}; {@link #toString()}
 * spells them.
 */
public enum SequenceBenchTask {
  MQAR("mqar", true),
  INDUCTION("induction", true),
  SELCOPY("selcopy", true),
  COPY("copy", true),
  /** The long-context decode table: trains nothing. */
  DECODE("decode", false);

  private final String spelling;

  /** Whether the task trains models (a sweep of {@link SequencePlan}). */
  public final boolean trains;

  SequenceBenchTask(String spelling, boolean trains) {
    this.spelling = spelling;
    this.trains = trains;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
