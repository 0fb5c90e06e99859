package dev.strata.train;

import java.nio.file.Path;

/**
 * The loss or the gradient norm became NaN or infinite. Training stops before the update, so the
 * parameters and the last checkpoint stay as they were; the message names the step and that
 * checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final long step;
  private final transient Path lastCheckpoint;

  /**
   * @param step the 0-based index of the step whose {@code quantity} was not finite
   * @param lastCheckpoint the last good checkpoint, or null if none was written
   */
  public TrainingDivergedException(
      long step, String quantity, double value, double lr, Path lastCheckpoint) {
    super(
        quantity
            + " is "
            + value
            + " at step "
            + step
            + String.format(" (lr %.3g)", lr)
            + "; training stopped before updating the parameters — "
            + (lastCheckpoint == null
                ? "no checkpoint was written yet; restart with a lower learning rate or gradient clipping"
                : "the last good checkpoint is "
                    + lastCheckpoint
                    + "; resume from it with a lower learning rate or gradient clipping"));
    this.step = step;
    this.lastCheckpoint = lastCheckpoint;
  }

  public long step() {
    return step;
  }

  public Path lastCheckpoint() {
    return lastCheckpoint;
  }
}
