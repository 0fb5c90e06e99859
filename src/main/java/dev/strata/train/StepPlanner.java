package dev.strata.train;

import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.function.LongFunction;
import org.bytedeco.javacpp.PointerScope;

/**
 * How many training steps fit a wall-time budget, decided before training so that the learning-rate
 * schedule can end exactly at the last step: a few forward + backward passes of the real model on
 * real batches are timed (after two untimed warm-up passes) and the fastest, with a safety margin
 * for the optimizer, evaluation and checkpoints, sets the pace. The probe's gradients are cleared;
 * anything else it touches (RNG state, running statistics) is the caller's.
 */
public final class StepPlanner {
  private static final int WARMUP = 2;
  private static final int TIMED = 4;

  private StepPlanner() {}

  /**
   * @param budgetSeconds the wall-time budget (≤ 0: none, {@code maxSteps} decides)
   * @param maxSteps a cap on the steps (0: none)
   * @param probeLoss the loss of probe pass {@code i} (use batches training will not start from)
   * @param margin how much slower than a bare forward + backward a step is assumed to be (e.g.
   *     1.05)
   */
  public static long steps(
      double budgetSeconds,
      long maxSteps,
      Module model,
      LongFunction<Tensor> probeLoss,
      double margin) {
    if (budgetSeconds <= 0) return maxSteps;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < WARMUP + TIMED; i++) {
      long t0 = System.nanoTime();
      try (PointerScope s = new PointerScope()) {
        probeLoss.apply(i).backward();
      }
      if (i >= WARMUP) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    model.namedParameters().values().forEach(Ops::clearGrad);
    long steps = (long) (budgetSeconds / (best * margin));
    return Math.max(maxSteps > 0 ? Math.min(maxSteps, steps) : steps, 1);
  }
}
