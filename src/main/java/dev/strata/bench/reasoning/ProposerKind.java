package dev.strata.bench.reasoning;

/** The proposers a reasoning task can be benched with; {@link #toString()} spells them. */
public enum ProposerKind {
  /** The autoregressive proposer. */
  AR("ar"),
  /** A masked-diffusion proposer. */
  DIFFUSION("diffusion");

  private final String spelling;

  ProposerKind(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
