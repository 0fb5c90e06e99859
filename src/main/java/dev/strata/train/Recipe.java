package dev.strata.train;

import java.nio.file.Path;

/**
 * The training hyper-parameters every Strata training shares: how long, how big a step, AdamW's
 * learning rate and weight decay with a warm-up + cosine schedule, clipping, the seed, how often to
 * evaluate, and where the run lives. {@link Fit} turns a recipe, a model and a loss into a run of
 * the {@link Trainer}.
 *
 * @param budgetSeconds training wall time (0: {@code maxSteps} decides)
 * @param maxSteps optimizer steps (0: as many as the budget allows)
 * @param batch examples (sequences, problems, clips) per step
 * @param lr peak learning rate
 * @param minLr learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps (capped by {@link Fit#warmupCap})
 * @param weightDecay AdamW weight decay (not on biases, norms and embeddings)
 * @param gradClip clip the global gradient norm to this (0: no clipping)
 * @param seed seed of the initialisation, the data and libtorch's RNG
 * @param evalEvery steps between evaluations (0: only at the end, when there is an evaluation)
 * @param out the run directory: {@code checkpoints/} and {@code metrics.jsonl} (null: nothing is
 *     written and nothing can resume)
 * @param progressBar show a progress bar on stderr
 */
public record Recipe(
    double budgetSeconds,
    long maxSteps,
    int batch,
    double lr,
    double minLr,
    long warmupSteps,
    double weightDecay,
    double gradClip,
    long seed,
    long evalEvery,
    Path out,
    boolean progressBar) {

  public Recipe {
    if (budgetSeconds < 0 || maxSteps < 0)
      throw new IllegalArgumentException("time budget and steps must be ≥ 0");
    if (budgetSeconds <= 0 && maxSteps <= 0)
      throw new IllegalArgumentException("give a time budget or a number of steps");
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    if (!(minLr >= 0) || minLr > lr)
      throw new IllegalArgumentException(
          "the minimum learning rate must lie in [0, " + lr + "], got " + minLr);
    if (warmupSteps < 0)
      throw new IllegalArgumentException("warm-up steps must be ≥ 0, got " + warmupSteps);
    if (!(weightDecay >= 0))
      throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
    if (!(gradClip >= 0))
      throw new IllegalArgumentException("gradient clip must be ≥ 0, got " + gradClip);
    if (evalEvery < 0)
      throw new IllegalArgumentException("eval interval must be ≥ 0, got " + evalEvery);
  }

  /**
   * {@code maxSteps} steps (or the budget) of {@code batch} at peak {@code lr}, decaying to lr/10
   * after 100 warm-up steps; no weight decay, clip 1, seed 0, no evaluation, nothing written, no
   * progress bar. Adjust with the {@code with…} methods.
   */
  public static Recipe of(double budgetSeconds, long maxSteps, int batch, double lr) {
    return new Recipe(budgetSeconds, maxSteps, batch, lr, lr / 10, 100, 0, 1.0, 0, 0, null, false);
  }

  /** The checkpoint root, {@code out/checkpoints} (null without a run directory). */
  public Path checkpoints() {
    return out == null ? null : out.resolve("checkpoints");
  }

  /** The metrics file, {@code out/metrics.jsonl} (null without a run directory). */
  public Path metrics() {
    return out == null ? null : out.resolve("metrics.jsonl");
  }

  public Recipe withBudget(double seconds, long steps) {
    return new Recipe(
        seconds,
        steps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        seed,
        evalEvery,
        out,
        progressBar);
  }

  public Recipe withBatch(int b) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        b,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        seed,
        evalEvery,
        out,
        progressBar);
  }

  /** Peak and final learning rate and the warm-up. */
  public Recipe withLr(double peak, double min, long warmup) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        peak,
        min,
        warmup,
        weightDecay,
        gradClip,
        seed,
        evalEvery,
        out,
        progressBar);
  }

  public Recipe withWeightDecay(double v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        v,
        gradClip,
        seed,
        evalEvery,
        out,
        progressBar);
  }

  public Recipe withGradClip(double v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        v,
        seed,
        evalEvery,
        out,
        progressBar);
  }

  public Recipe withSeed(long v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        v,
        evalEvery,
        out,
        progressBar);
  }

  public Recipe withEvalEvery(long v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        seed,
        v,
        out,
        progressBar);
  }

  public Recipe withOut(Path v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        seed,
        evalEvery,
        v,
        progressBar);
  }

  public Recipe withProgressBar(boolean v) {
    return new Recipe(
        budgetSeconds,
        maxSteps,
        batch,
        lr,
        minLr,
        warmupSteps,
        weightDecay,
        gradClip,
        seed,
        evalEvery,
        out,
        v);
  }
}
