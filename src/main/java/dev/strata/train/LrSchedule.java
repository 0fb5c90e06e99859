package dev.strata.train;

/** A learning rate for each optimizer step (0-based: step 0 is the first update). */
@FunctionalInterface
public interface LrSchedule {
  double lr(long step);

  /** The same rate at every step. */
  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /** Linear warm-up to {@code peak}, then cosine decay to {@code min} at {@code totalSteps}. */
  static WarmupCosine warmupCosine(double peak, double min, long warmupSteps, long totalSteps) {
    return new WarmupCosine(peak, min, warmupSteps, totalSteps);
  }

  /**
   * Linear warm-up then cosine decay (Loshchilov &amp; Hutter 2017, SGDR without restarts), as in
   * nanoGPT: {@code lr(s) = peak·(s+1)/warmup} for {@code s < warmup}; then {@code min + ½(1 +
   * cos(π·r))·(peak − min)} with {@code r = (s − warmup)/(total − warmup)}; {@code min} from {@code
   * total} on.
   */
  record WarmupCosine(double peak, double min, long warmupSteps, long totalSteps)
      implements LrSchedule {
    public WarmupCosine {
      if (!(peak >= 0) || !(min >= 0) || min > peak) {
        throw new IllegalArgumentException(
            "need 0 ≤ min lr ≤ peak lr, got min " + min + ", peak " + peak);
      }
      if (warmupSteps < 0 || totalSteps < warmupSteps) {
        throw new IllegalArgumentException(
            "need 0 ≤ warm-up steps ≤ total steps, got warm-up "
                + warmupSteps
                + ", total "
                + totalSteps);
      }
    }

    @Override
    public double lr(long step) {
      if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
      if (step >= totalSteps) return min;
      double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
      return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
  }
}
