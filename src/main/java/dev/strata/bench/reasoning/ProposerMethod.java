package dev.strata.bench.reasoning;

/**
 * How {@code strata train expert} improves a proposer: expert iteration (its own answers the energy
 * accepts), RLOO (a policy gradient with the energy as the reward), or the supervised baseline at
 * equal compute (the generator's solutions).
 */
public enum ProposerMethod {
  EXPERT_ITERATION("expert-iteration"),
  SUPERVISED("supervised"),
  RLOO("rloo");

  private final String spelling;

  ProposerMethod(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
