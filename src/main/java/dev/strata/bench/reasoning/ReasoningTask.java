package dev.strata.bench.reasoning;

/** The reasoning tasks with proposers, energies and benchmarks; {@link #toString()} spells them. */
public enum ReasoningTask {
  SUDOKU("sudoku"),
  PATHSTAR("pathstar"),
  COUNTDOWN("countdown");

  private final String spelling;

  ReasoningTask(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
