package dev.strata.bench.reasoning;

/**
 * The proposers {@code strata bench anytime} sweeps; {@link #toString()} spells them. Each belongs
 * to a family that says how a task builds it from a checkpoint ({@link AnytimeTask}), so a new
 * proposer of an existing family — e.g. an AR proposer fine-tuned by expert iteration or RLVR,
 * saved as an AR checkpoint — is one constant here, given with {@code --checkpoint
 * <spelling>=<run>}.
 */
public enum AnytimeProposer {
  /** The task's uniform proposer: the answer's format, every choice uniformly random. */
  UNIFORM("uniform", Family.UNIFORM),
  /** The supervised autoregressive proposer ({@code strata train reasoning --task <task>}). */
  AR("ar", Family.AR),
  /**
   * An AR proposer fine-tuned by expert iteration ({@code strata train expert}): give a round's
   * run, e.g. {@code --checkpoint expert=runs/countdown-expert/round-004}.
   */
  EXPERT("expert", Family.AR),
  /** The masked-diffusion proposer ({@code strata train reasoning --task <task>-diffusion}). */
  DIFFUSION("diffusion", Family.DIFFUSION);

  /** How a proposer is built: no checkpoint, or a checkpoint of the AR or diffusion trainings. */
  public enum Family {
    UNIFORM,
    AR,
    DIFFUSION
  }

  private final String spelling;
  public final Family family;

  AnytimeProposer(String spelling, Family family) {
    this.spelling = spelling;
    this.family = family;
  }

  /** Whether this proposer learned anything (the headline compares these to the uniform one). */
  public boolean learned() {
    return family != Family.UNIFORM;
  }

  @Override
  public String toString() {
    return spelling;
  }
}
