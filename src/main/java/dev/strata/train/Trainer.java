package dev.strata.train;

import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;

/**
 * A generic training loop. The caller supplies the loss of step i (its batch logic included); the
 * trainer runs backward, clips, sets the scheduled learning rate, steps AdamW, updates the EMA,
 * logs metrics, evaluates, checkpoints, and stops at {@code maxSteps}, at the time budget, or on
 * Ctrl-C (after finishing the step in flight and writing a checkpoint). Every step runs in its own
 * {@code PointerScope}, so native memory stays flat.
 *
 * <p>Step numbering: the loss function and the schedule receive the 0-based index of the step about
 * to run, which equals the number of steps completed before it; metrics, {@link StepResult} and
 * checkpoints record steps completed. {@link #resume} restores the model, optimizer, EMA, step,
 * libtorch's RNG and the caller's {@link Sampler}, so the continued run is identical to one that
 * never stopped. Evaluation runs on a forked RNG (state saved and restored around it), so how often
 * it runs never changes the training trajectory.
 */
public final class Trainer {
  /** The scalar training loss of step {@code step} (0-based), built with gradients enabled. */
  @FunctionalInterface
  public interface LossFunction {
    Tensor loss(long step);
  }

  /** Evaluation at {@code step} steps completed; runs in eval mode without gradients. */
  @FunctionalInterface
  public interface EvalHook {
    Map<String, Double> evaluate(long step);
  }

  /** Java-side data-sampler state that a checkpoint must carry (a position or a seed). */
  public interface Sampler {
    long state();

    void restore(long state);
  }

  private static final long INTERRUPT_GRACE_SECONDS = 120;

  /**
   * Checkpoint metrics keys: "loss" (last training loss) and "eval.&lt;name&gt;" (last evaluation).
   */
  private static final String EVAL_PREFIX = "eval.";

  private final Module model;
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final TrainConfig config;
  private final LossFunction lossFunction;
  private final List<Tensor> params = new ArrayList<>();
  private final Ema ema;
  private EvalHook evalHook;
  private Sampler sampler;
  private final List<Consumer<StepResult>> listeners = new ArrayList<>();
  private java.util.function.Supplier<Map<String, Double>> stepMetrics;

  private long step;
  private boolean resumed;
  private double priorSeconds; // training time of earlier sessions
  private long sessionStartNanos;
  private double lastLoss = Double.NaN;
  private Map<String, Double> lastEval = Map.of();
  private long lastEvalStep = -1;
  private Path lastCheckpoint;
  private long lastCheckpointStep = -1;
  private volatile boolean stopRequested;

  public Trainer(
      Module model,
      AdamW optimizer,
      LrSchedule schedule,
      TrainConfig config,
      LossFunction lossFunction) {
    this.model = model;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.config = config;
    this.lossFunction = lossFunction;
    optimizer.groups().forEach(g -> params.addAll(g.params().values()));
    this.ema = config.emaDecay() > 0 ? new Ema(model) : null;
  }

  /** Runs {@code hook} every {@code TrainConfig.evalEvery} steps and at the end. */
  public Trainer onEval(EvalHook hook) {
    this.evalHook = hook;
    return this;
  }

  /** The data sampler whose state checkpoints carry; set it before {@link #resume}. */
  public Trainer sampler(Sampler sampler) {
    this.sampler = sampler;
    return this;
  }

  /**
   * Extra scalars for each training record of the metrics file (e.g. the terms of a composite loss,
   * which the loss function remembers as it computes them); read after the step.
   */
  public Trainer stepMetrics(java.util.function.Supplier<Map<String, Double>> metrics) {
    this.stepMetrics = metrics;
    return this;
  }

  /** Called after every step (progress, tests, custom logging). */
  public Trainer onStep(Consumer<StepResult> listener) {
    listeners.add(listener);
    return this;
  }

  /** Steps completed so far. */
  public long step() {
    return step;
  }

  /** The EMA of the parameters, or null when {@code TrainConfig.emaDecay} is 0. */
  public Ema ema() {
    return ema;
  }

  /** The last checkpoint written or resumed from (null if none). */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }

  /** Asks the loop to stop after the step in flight and write a checkpoint (what Ctrl-C does). */
  public void requestStop() {
    stopRequested = true;
  }

  // ---------------------------------------------------------------- resuming

  /**
   * Restores model, optimizer, EMA, step, libtorch RNG and sampler state from a checkpoint
   * directory or a checkpoint root (its newest checkpoint), without running.
   */
  public Checkpoint.State restore(Path checkpoint) {
    try (PointerScope scope = new PointerScope()) {
      Checkpoint.Loaded c = Checkpoint.load(checkpoint);
      try {
        model.loadStateDict(c.model());
        optimizer.loadState(c.adamState());
        if (ema != null && c.emaShadow().isEmpty()) {
          ema.reset(); // the checkpointed run kept no EMA: start one at the restored weights
        } else if (ema != null) {
          ema.loadShadow(c.emaShadow());
        }
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(
            c.dir(),
            "does not fit this model and optimizer: " + e.getMessage(),
            "build the model with the configuration stored in " + Checkpoint.STATE_FILE,
            e);
      }
      Checkpoint.State s = c.state();
      if (s.rngState() != null) Ops.setRngState(s.rngState());
      if (sampler != null) sampler.restore(s.samplerState());
      step = s.step();
      priorSeconds = s.elapsedSeconds();
      lastLoss = s.metrics().getOrDefault("loss", Double.NaN);
      Map<String, Double> eval = new LinkedHashMap<>();
      s.metrics()
          .forEach(
              (k, v) -> {
                if (k.startsWith(EVAL_PREFIX)) eval.put(k.substring(EVAL_PREFIX.length()), v);
              });
      lastEval = Map.copyOf(eval);
      lastCheckpoint = c.dir();
      lastCheckpointStep = step;
      resumed = true;
      return s;
    }
  }

  /** {@link #restore} then {@link #run}: continues exactly where the checkpointed run stopped. */
  public TrainResult resume(Path checkpoint) {
    restore(checkpoint);
    return run();
  }

  // ---------------------------------------------------------------- the loop

  /** Trains from the current step until max steps, the time budget, or an interrupt. */
  public TrainResult run() {
    sessionStartNanos = System.nanoTime();
    stopRequested = false;
    long lastCheckpointNanos = sessionStartNanos;
    TrainResult.StopReason reason = TrainResult.StopReason.MAX_STEPS;
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = config.handleInterrupt() ? installInterruptHook(finished) : null;
    model.train(true);
    optimizer.zeroGrad();
    MetricsLog metrics = openMetrics();
    TrainProgress progress =
        new TrainProgress(
            config.progressBar(),
            step,
            config.maxSteps(),
            config.timeBudgetSeconds(),
            config.printEvery());
    try {
      while (step < config.maxSteps()) {
        if (config.timeBudgetSeconds() > 0 && sessionSeconds() >= config.timeBudgetSeconds()) {
          reason = TrainResult.StopReason.TIME_BUDGET;
          break;
        }
        StepResult r = trainStep(step);
        step = r.step();
        lastLoss = r.loss();
        if (metrics != null && step % config.logEvery() == 0) metrics.log(step, trainRecord(r));
        progress.update(r);
        for (Consumer<StepResult> l : listeners) l.accept(r);

        if (evalHook != null && config.evalEvery() > 0 && step % config.evalEvery() == 0) {
          evaluate(metrics, progress);
        }
        boolean stop = stopRequested;
        boolean due =
            (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)
                || (config.checkpointEverySeconds() > 0
                    && (System.nanoTime() - lastCheckpointNanos) / 1e9
                        >= config.checkpointEverySeconds());
        if (config.checkpointDir() != null && (due || stop)) {
          saveCheckpoint();
          lastCheckpointNanos = System.nanoTime();
        }
        if (stop) {
          reason = TrainResult.StopReason.INTERRUPTED;
          progress.notice(
              "stopped at step "
                  + step
                  + (config.checkpointDir() == null
                      ? " (no checkpoint directory configured)"
                      : "; checkpoint " + lastCheckpoint));
          break;
        }
      }
      // Final evaluation first (on a forked RNG, so it changes nothing) so the checkpoint records
      // it.
      if (reason != TrainResult.StopReason.INTERRUPTED
          && evalHook != null
          && config.evalEvery() > 0
          && lastEvalStep != step) {
        evaluate(metrics, progress);
      }
      if (config.checkpointDir() != null && lastCheckpointStep != step) saveCheckpoint();
    } finally {
      progress.close();
      if (metrics != null) metrics.close();
      finished.countDown();
      if (hook != null) removeInterruptHook(hook);
    }
    return new TrainResult(
        step, reason, lastLoss, lastEval, lastCheckpoint, sessionSeconds(), config.metricsFile());
  }

  /**
   * One optimizer step: loss, backward, clip, update, EMA; all temporaries freed with the scope.
   */
  private StepResult trainStep(long index) {
    long t0 = System.nanoTime();
    try (PointerScope scope = new PointerScope()) {
      double lr = schedule.lr(index);
      Tensor loss = lossFunction.loss(index);
      double value = Ops.item(loss);
      if (!Double.isFinite(value))
        throw new TrainingDivergedException(index, "loss", value, lr, lastCheckpoint);
      loss.backward();
      double norm =
          config.gradClip() > 0
              ? GradClip.clip(params, config.gradClip())
              : GradClip.globalNorm(params);
      if (!Double.isFinite(norm)) {
        optimizer.zeroGrad();
        throw new TrainingDivergedException(index, "gradient norm", norm, lr, lastCheckpoint);
      }
      optimizer.setLr(lr);
      optimizer.step();
      optimizer.zeroGrad();
      if (ema != null) ema.update(config.emaDecay());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double tokensPerSecond = config.tokensPerStep() > 0 ? config.tokensPerStep() / seconds : 0;
      return new StepResult(index + 1, value, lr, norm, seconds, tokensPerSecond);
    }
  }

  private Map<String, Object> trainRecord(StepResult r) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("kind", "train");
    rec.put("loss", r.loss());
    rec.put("lr", r.lr());
    rec.put("grad_norm", r.gradNorm());
    rec.put("step_s", r.seconds());
    if (stepMetrics != null) rec.putAll(stepMetrics.get());
    if (r.tokensPerSecond() > 0) rec.put("tokens_per_s", r.tokensPerSecond());
    rec.put("wall_s", priorSeconds + sessionSeconds());
    return rec;
  }

  private void evaluate(MetricsLog metrics, TrainProgress progress) {
    byte[] rng = Ops.rngState();
    model.eval();
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      lastEval = Map.copyOf(evalHook.evaluate(step));
    } finally {
      model.train(true);
      Ops.setRngState(rng); // evaluation never shifts the training random stream
    }
    lastEvalStep = step;
    if (metrics != null) {
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("kind", "eval");
      rec.putAll(lastEval);
      rec.put("wall_s", priorSeconds + sessionSeconds());
      metrics.log(step, rec);
    }
    StringBuilder line = new StringBuilder("eval @ step " + step + ":");
    lastEval.forEach((k, v) -> line.append(String.format("  %s %.4f", k, v)));
    progress.message(line.toString());
  }

  /** Writes a checkpoint of the current state now (requires {@code TrainConfig.checkpointDir}). */
  public Path saveCheckpoint() {
    if (config.checkpointDir() == null)
      throw new IllegalStateException("TrainConfig.checkpointDir is not set");
    Map<String, Double> so = new LinkedHashMap<>();
    if (!Double.isNaN(lastLoss)) so.put("loss", lastLoss);
    lastEval.forEach((k, v) -> so.put(EVAL_PREFIX + k, v));
    Checkpoint.State state =
        new Checkpoint.State(
            step,
            config.modelConfig(),
            Ops.rngState(),
            sampler == null ? 0 : sampler.state(),
            so,
            priorSeconds + sessionSeconds());
    lastCheckpoint =
        Checkpoint.save(
            config.checkpointDir(), model, optimizer, ema, state, config.keepCheckpoints());
    lastCheckpointStep = step;
    return lastCheckpoint;
  }

  private double sessionSeconds() {
    return sessionStartNanos == 0 ? 0 : (System.nanoTime() - sessionStartNanos) / 1e9;
  }

  private MetricsLog openMetrics() {
    if (config.metricsFile() == null) return null;
    // A fresh run starts a fresh log; a resumed one drops records written after its checkpoint.
    return resumed || step > 0
        ? MetricsLog.resume(config.metricsFile(), step)
        : MetricsLog.create(config.metricsFile());
  }

  // ---------------------------------------------------------------- Ctrl-C

  /**
   * On SIGINT/SIGTERM the JVM runs shutdown hooks, then halts. Ours asks the loop to stop and waits
   * until it has finished the step in flight and written its checkpoint.
   */
  private Thread installInterruptHook(CountDownLatch finished) {
    Thread hook =
        new Thread(
            () -> {
              if (finished.getCount() == 0) return;
              System.err.println();
              System.err.println(
                  "interrupted: finishing the current step and writing a checkpoint…");
              requestStop();
              try {
                finished.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "strata-trainer-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static void removeInterruptHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting because of the interrupt; the hook is running and returns once we finish
    }
  }
}
