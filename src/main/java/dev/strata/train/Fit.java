package dev.strata.train;

import dev.strata.nn.Module;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One training run from a {@link Recipe}: AdamW over {@link ParamGroup#standard} groups (betas 0.9,
 * 0.99, eps 1e-8 unless told otherwise), the number of steps (fixed, planned against the budget by
 * {@link StepPlanner}, or paced), linear warm-up + cosine from {@code lr} to {@code minLr}, the
 * {@link TrainConfig} (clipping, evaluation, checkpoints under {@code out/checkpoints}, metrics in
 * {@code out/metrics.jsonl}, progress), then the {@link Trainer} from scratch or resumed from the
 * newest checkpoint. The training supplies only what is its own: the model, the loss of a step, the
 * evaluation, the probe that times a step, and the model description stored with checkpoints.
 *
 * <pre>{@code
 * TrainResult r = Fit.of(recipe, model, step -> model.loss(batch(step)))
 *     .eval(step -> Map.of("val_loss", validate(model)))
 *     .plan(spec.plannedSteps(), i -> model.loss(probeBatch(i)), 1.05)
 *     .budgetSlack(1.15)
 *     .modelConfig(steps -> spec.withSteps(steps).toJson())
 *     .run(resume);
 * }</pre>
 */
public final class Fit {
  /** The steps a run plans before it starts: its schedule ends exactly there. */
  private enum Plan {
    FIXED,
    PROBED,
    PACED
  }

  private final Recipe recipe;
  private final Module model;
  private final Trainer.LossFunction loss;
  private Trainer.EvalHook eval;
  private Supplier<Map<String, Double>> stepMetrics;
  private final List<Consumer<StepResult>> listeners = new ArrayList<>();
  private long stopAfter;
  private Plan plan = Plan.FIXED;
  private long plannedSteps;
  private LongFunction<Tensor> probeLoss;
  private double probeMargin;
  private Runnable afterProbe;
  private double secondsPerStep;
  private long minHorizon;
  private long stepCap;
  private double budgetSlack = 1;
  private long warmupCap = 10;
  private double beta2 = 0.99;
  private long tokensPerStep;
  private double checkpointEverySeconds;
  private int keepCheckpoints = 3;
  private long logEvery = 10;
  private long printEvery = 50;
  private boolean printWithoutBar;
  private boolean handleInterrupt = true;
  private LongFunction<String> modelConfig = steps -> null;

  private Fit(Recipe recipe, Module model, Trainer.LossFunction loss) {
    this.recipe = recipe;
    this.model = model;
    this.loss = loss;
  }

  /** Trains {@code model} on {@code loss} (the loss of 0-based step i) by {@code recipe}. */
  public static Fit of(Recipe recipe, Module model, Trainer.LossFunction loss) {
    return new Fit(recipe, model, loss);
  }

  /** Evaluation every {@code Recipe.evalEvery} steps and at the end. */
  public Fit eval(Trainer.EvalHook hook) {
    this.eval = hook;
    return this;
  }

  /** Extra scalars for each training record of the metrics file. */
  public Fit stepMetrics(Supplier<Map<String, Double>> metrics) {
    this.stepMetrics = metrics;
    return this;
  }

  /** Called after every step. */
  public Fit onStep(Consumer<StepResult> listener) {
    listeners.add(listener);
    return this;
  }

  /** Stops (with a checkpoint, as Ctrl-C does) once this many steps are done (0: never). */
  public Fit stopAfter(long step) {
    this.stopAfter = step;
    return this;
  }

  /**
   * The steps fit the time budget: unless {@code plannedSteps} &gt; 0 (a resumed run's plan), time
   * {@code probeLoss} passes with {@link StepPlanner} ({@code margin}: how much slower a full step
   * is than a forward + backward); the schedule ends at the planned step. Without a budget the
   * recipe's {@code maxSteps} are the plan.
   */
  public Fit plan(long plannedSteps, LongFunction<Tensor> probeLoss, double margin) {
    this.plan = Plan.PROBED;
    this.plannedSteps = plannedSteps;
    this.probeLoss = probeLoss;
    this.probeMargin = margin;
    return this;
  }

  /** Runs after the probe passes (only when they ran), e.g. to undo what they touched. */
  public Fit afterProbe(Runnable r) {
    this.afterProbe = r;
    return this;
  }

  /**
   * Without a step count, the loop runs until the budget (at most {@code stepCap} steps) and the
   * schedule assumes {@code secondsPerStep}: it ends at {@code max(minHorizon, budget /
   * secondsPerStep)}. With a step count, the steps are the plan.
   */
  public Fit pace(double secondsPerStep, long minHorizon, long stepCap) {
    this.plan = Plan.PACED;
    this.secondsPerStep = secondsPerStep;
    this.minHorizon = minHorizon;
    this.stepCap = stepCap;
    return this;
  }

  /**
   * The loop's time stop is the budget times this (default 1): a planned run ends at its planned
   * step, the stop only guards against a plan that was too optimistic.
   */
  public Fit budgetSlack(double factor) {
    this.budgetSlack = factor;
    return this;
  }

  /** Warm-up lasts at most 1/{@code divisor} of the schedule (default 10; 0: uncapped). */
  public Fit warmupCap(long divisor) {
    this.warmupCap = divisor;
    return this;
  }

  /** AdamW's second-moment decay (default 0.99). */
  public Fit beta2(double v) {
    this.beta2 = v;
    return this;
  }

  /** Tokens one step consumes, for tokens/s (0: unknown). */
  public Fit tokensPerStep(long v) {
    this.tokensPerStep = v;
    return this;
  }

  /** Also checkpoint when this much wall time passed since the last one (default 0: off). */
  public Fit checkpointEverySeconds(double v) {
    this.checkpointEverySeconds = v;
    return this;
  }

  /** Newest checkpoints kept (default 3; 0: all). */
  public Fit keepCheckpoints(int v) {
    this.keepCheckpoints = v;
    return this;
  }

  /** A training record in the metrics file every this many steps (default 10). */
  public Fit logEvery(long v) {
    this.logEvery = v;
    return this;
  }

  /** Without a progress bar, a status line every this many steps (default 50). */
  public Fit printEvery(long v) {
    this.printEvery = v;
    this.printWithoutBar = false;
    return this;
  }

  /**
   * A status line every this many steps whenever no bar is drawn: with the progress bar off, and
   * also when it is on but stderr is not a terminal.
   */
  public Fit printEveryWithoutTerminal(long v) {
    this.printEvery = v;
    this.printWithoutBar = true;
    return this;
  }

  /** Whether Ctrl-C finishes the step and writes a checkpoint (default true). */
  public Fit handleInterrupt(boolean v) {
    this.handleInterrupt = v;
    return this;
  }

  /** The model's description stored in every checkpoint, given the planned steps. */
  public Fit modelConfig(LongFunction<String> json) {
    this.modelConfig = json;
    return this;
  }

  /** Trains from scratch. */
  public TrainResult run() {
    return run(false);
  }

  /**
   * Trains from scratch, or, when {@code resume} is set, continues the newest checkpoint under
   * {@code out/checkpoints} exactly where it stopped.
   */
  public TrainResult run(boolean resume) {
    if (resume && recipe.out() == null)
      throw new IllegalStateException("a run without a run directory cannot resume");
    try (AdamW optimizer =
        new AdamW(
            ParamGroup.standard(model, recipe.weightDecay()), recipe.lr(), 0.9, beta2, 1e-8)) {
      long steps = steps();
      long horizon = horizon(steps);
      long warmup =
          warmupCap > 0
              ? Math.min(recipe.warmupSteps(), horizon / warmupCap)
              : Math.min(recipe.warmupSteps(), horizon);
      LrSchedule schedule = LrSchedule.warmupCosine(recipe.lr(), recipe.minLr(), warmup, horizon);
      Trainer trainer = new Trainer(model, optimizer, schedule, config(steps), loss).onEval(eval);
      if (stepMetrics != null) trainer.stepMetrics(stepMetrics);
      listeners.forEach(trainer::onStep);
      if (stopAfter > 0)
        trainer.onStep(
            r -> {
              if (r.step() >= stopAfter) trainer.requestStop();
            });
      return resume ? trainer.resume(recipe.checkpoints()) : trainer.run();
    }
  }

  /** The loop's steps. */
  private long steps() {
    return switch (plan) {
      case FIXED -> {
        if (recipe.maxSteps() <= 0)
          throw new IllegalStateException("a time budget needs plan() or pace() to set the steps");
        yield recipe.maxSteps();
      }
      case PROBED -> {
        if (plannedSteps > 0) yield plannedSteps;
        long s =
            StepPlanner.steps(
                recipe.budgetSeconds(), recipe.maxSteps(), model, probeLoss, probeMargin);
        if (afterProbe != null) afterProbe.run();
        yield s;
      }
      case PACED -> recipe.maxSteps() > 0 ? recipe.maxSteps() : stepCap;
    };
  }

  /** Where the schedule reaches its minimum. */
  private long horizon(long steps) {
    if (plan != Plan.PACED || recipe.maxSteps() > 0) return steps;
    return Math.max(minHorizon, (long) (recipe.budgetSeconds() / secondsPerStep));
  }

  private TrainConfig config(long steps) {
    TrainConfig c =
        TrainConfig.of(steps)
            .withTimeBudgetSeconds(
                recipe.budgetSeconds() > 0 ? recipe.budgetSeconds() * budgetSlack : 0)
            .withGradClip(recipe.gradClip())
            .withEvalEvery(recipe.evalEvery())
            .withCheckpointEverySeconds(checkpointEverySeconds)
            .withKeepCheckpoints(keepCheckpoints)
            .withMetricsFile(recipe.metrics())
            .withLogEvery(logEvery)
            .withTokensPerStep(tokensPerStep)
            .withProgressBar(recipe.progressBar())
            .withPrintEvery(printWithoutBar || !recipe.progressBar() ? printEvery : 0)
            .withHandleInterrupt(handleInterrupt)
            .withModelConfig(modelConfig.apply(steps));
    return recipe.checkpoints() == null ? c : c.withCheckpoints(recipe.checkpoints(), 0);
  }
}
