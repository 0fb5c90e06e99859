package dev.strata.train;

import java.nio.file.Path;

/**
 * How the {@link Trainer} loop runs. Start from {@link #of(long)} and adjust with the {@code with…}
 * methods; 0 switches a periodic action off.
 *
 * @param maxSteps stop after this many optimizer steps in total
 * @param timeBudgetSeconds stop after this much wall time in this session (0: no budget)
 * @param gradClip clip the global gradient norm to this (0: no clipping; the norm is still logged)
 * @param evalEvery run the eval hook every this many steps, and once at the end (0: never)
 * @param checkpointEvery checkpoint every this many steps (0: only at the end and on interrupt)
 * @param checkpointEverySeconds also checkpoint when this much wall time passed since the last one
 *     (0: off)
 * @param checkpointDir the checkpoint root (null: never checkpoint)
 * @param keepCheckpoints how many newest checkpoints to keep (≤ 0: all)
 * @param metricsFile the JSONL metrics file (null: no metrics file)
 * @param logEvery write a training record to the metrics file every this many steps
 * @param tokensPerStep tokens consumed by one step, for tokens/s (0: unknown)
 * @param emaDecay keep an EMA of the parameters with this decay (0: no EMA)
 * @param progressBar show a progress bar on stderr (only when stderr belongs to a terminal)
 * @param printEvery without a progress bar, print a status line to stderr every this many steps (0:
 *     never)
 * @param handleInterrupt on Ctrl-C / SIGTERM finish the current step and write a checkpoint before
 *     the JVM exits
 * @param modelConfig the model's configuration as JSON, stored in every checkpoint (may be null)
 */
public record TrainConfig(
    long maxSteps,
    double timeBudgetSeconds,
    double gradClip,
    long evalEvery,
    long checkpointEvery,
    double checkpointEverySeconds,
    Path checkpointDir,
    int keepCheckpoints,
    Path metricsFile,
    long logEvery,
    long tokensPerStep,
    double emaDecay,
    boolean progressBar,
    long printEvery,
    boolean handleInterrupt,
    String modelConfig) {

  public TrainConfig {
    if (maxSteps < 0) throw new IllegalArgumentException("max steps must be ≥ 0, got " + maxSteps);
    if (timeBudgetSeconds < 0)
      throw new IllegalArgumentException("time budget must be ≥ 0 s, got " + timeBudgetSeconds);
    if (gradClip < 0)
      throw new IllegalArgumentException("gradient clip must be ≥ 0, got " + gradClip);
    if (evalEvery < 0
        || checkpointEvery < 0
        || checkpointEverySeconds < 0
        || printEvery < 0
        || tokensPerStep < 0) {
      throw new IllegalArgumentException("periods and tokens per step must be ≥ 0");
    }
    if (logEvery < 1) throw new IllegalArgumentException("log every must be ≥ 1, got " + logEvery);
    if (!(emaDecay >= 0 && emaDecay < 1))
      throw new IllegalArgumentException("EMA decay must lie in [0, 1), got " + emaDecay);
  }

  /**
   * {@code maxSteps} steps; no budget, clipping, evaluation, checkpoints, metrics file or EMA; a
   * metrics record every step; progress bar and interrupt handling on.
   */
  public static TrainConfig of(long maxSteps) {
    return new TrainConfig(maxSteps, 0, 0, 0, 0, 0, null, 3, null, 1, 0, 0, true, 0, true, null);
  }

  public TrainConfig withMaxSteps(long v) {
    return new TrainConfig(
        v,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withTimeBudgetSeconds(double v) {
    return new TrainConfig(
        maxSteps,
        v,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withGradClip(double v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        v,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withEvalEvery(long v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        v,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  /**
   * Checkpoints into {@code dir} every {@code everySteps} steps (0: only at the end and on
   * interrupt).
   */
  public TrainConfig withCheckpoints(Path dir, long everySteps) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        everySteps,
        checkpointEverySeconds,
        dir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withCheckpointEverySeconds(double v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        v,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withKeepCheckpoints(int v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        v,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withMetricsFile(Path v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        v,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withLogEvery(long v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        v,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withTokensPerStep(long v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        v,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withEmaDecay(double v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        v,
        progressBar,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withProgressBar(boolean v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        v,
        printEvery,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withPrintEvery(long v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        v,
        handleInterrupt,
        modelConfig);
  }

  public TrainConfig withHandleInterrupt(boolean v) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        v,
        modelConfig);
  }

  public TrainConfig withModelConfig(String json) {
    return new TrainConfig(
        maxSteps,
        timeBudgetSeconds,
        gradClip,
        evalEvery,
        checkpointEvery,
        checkpointEverySeconds,
        checkpointDir,
        keepCheckpoints,
        metricsFile,
        logEvery,
        tokensPerStep,
        emaDecay,
        progressBar,
        printEvery,
        handleInterrupt,
        json);
  }
}
