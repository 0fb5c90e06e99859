package dev.strata.bench.text;

import dev.strata.nn.Ops;
import dev.strata.propose.DiffusionConfig;
import dev.strata.propose.MaskedDiffusionLm;
import dev.strata.report.Plots;
import dev.strata.tasks.text.CharTokenizer;
import dev.strata.tasks.text.TextCorpus;
import dev.strata.train.AdamW;
import dev.strata.train.Checkpoint;
import dev.strata.train.LrSchedule;
import dev.strata.train.MetricsLog;
import dev.strata.train.ParamGroup;
import dev.strata.train.StepPlanner;
import dev.strata.train.TrainConfig;
import dev.strata.train.TrainResult;
import dev.strata.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a character-level {@link MaskedDiffusionLm} on a text file with the same split, windows
 * and loop as {@link LmTraining} (nanoGPT's 90/10 split, random windows, AdamW with warm-up +
 * cosine through {@link Trainer}: progress, checkpoints, exact resume, metrics), so its validation
 * NELBO (nats/char, on held-out windows of the same split) sits next to the AR model's validation
 * loss. The NELBO is estimated on a fixed set of windows with fixed stratified t and masks (seeded
 * inside the evaluation, which the Trainer runs on a forked RNG), so successive evaluations differ
 * only by the model.
 */
public final class DiffusionTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The {@code kind} a diffusion checkpoint's model config carries. */
  public static final String KIND = "masked-diffusion";

  /**
   * What to train and how.
   *
   * @param editFraction LLaDA 2.1's editing variant: fraction of unmasked tokens replaced by random
   *     ones (0: plain MDLM)
   */
  public record Options(
      Path data,
      double budgetSeconds,
      long maxSteps,
      int batch,
      int context,
      double lr,
      double minLr,
      long warmupSteps,
      double weightDecay,
      double gradClip,
      long seed,
      long evalEvery,
      int evalBatches,
      Path out,
      boolean progressBar,
      double editFraction,
      int dModel,
      int depth,
      int heads) {

    public Options {
      if (budgetSeconds <= 0 && maxSteps <= 0)
        throw new IllegalArgumentException("give a time budget or a number of steps");
      if (batch <= 0 || context <= 0)
        throw new IllegalArgumentException("batch and context must be positive");
      if (!(lr > 0))
        throw new IllegalArgumentException("learning rate must be positive, got " + lr);
      if (evalBatches <= 0)
        throw new IllegalArgumentException("eval batches must be positive, got " + evalBatches);
      if (editFraction < 0 || editFraction >= 1)
        throw new IllegalArgumentException("edit fraction must be in [0, 1), got " + editFraction);
    }

    /**
     * The CPU recipe: the foundation's 0.8M character Transformer (d 128, 4 blocks, 4 heads) made
     * bidirectional with rotary positions, batch 32 × 256, AdamW 3e-3 → 3e-4 (warm-up 100), betas
     * 0.9/0.99, weight decay 0.1, clip 1.
     */
    public static Options cpu(Path data, Path out) {
      return new Options(
          data, 900, 0, 32, 256, 3e-3, 3e-4, 100, 0.1, 1.0, 1337, 250, 16, out, true, 0, 128, 4, 4);
    }

    public Options withBudget(double seconds, long steps) {
      return new Options(
          data,
          seconds,
          steps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withShape(int batch, int context) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withModel(int dModel, int depth, int heads) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withLr(double lr, double minLr, long warmupSteps) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withEval(long every, int batches) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          every,
          batches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withSeed(long seed) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          editFraction,
          dModel,
          depth,
          heads);
    }

    public Options withEditFraction(double f) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          progressBar,
          f,
          dModel,
          depth,
          heads);
    }

    public Options withProgressBar(boolean on) {
      return new Options(
          data,
          budgetSeconds,
          maxSteps,
          batch,
          context,
          lr,
          minLr,
          warmupSteps,
          weightDecay,
          gradClip,
          seed,
          evalEvery,
          evalBatches,
          out,
          on,
          editFraction,
          dModel,
          depth,
          heads);
    }
  }

  /** What a run produced. */
  public record Outcome(
      long params,
      long steps,
      double valNelbo,
      double trainLoss,
      double seconds,
      double tokensPerSecond,
      TrainResult.StopReason stop,
      Path checkpoint,
      Path metrics,
      Path plot) {}

  /** The model and tokenizer a checkpoint describes (its model config). */
  public record ModelSpec(
      String kind, DiffusionConfig diffusion, String alphabet, long plannedSteps) {
    String toJson() {
      return JSON.writeValueAsString(this);
    }

    static ModelSpec fromJson(String json, Path where) {
      try {
        ModelSpec s = JSON.readValue(json, ModelSpec.class);
        if (!KIND.equals(s.kind()) || s.diffusion() == null)
          throw new IllegalArgumentException("not a diffusion model");
        return s;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "checkpoint " + where + " does not describe a Strata masked-diffusion model");
      }
    }
  }

  /** A loaded model with its tokenizer. */
  public record Loaded(MaskedDiffusionLm model, CharTokenizer tokenizer, long step) {}

  private DiffusionTraining() {}

  /**
   * Whether a checkpoint's model config describes a masked-diffusion model (the CLI picks the
   * sampler by this).
   */
  public static boolean isDiffusion(String modelConfig) {
    return Checkpoint.modelKind(modelConfig, KIND);
  }

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static Outcome run(Options o, boolean resume) {
    TextCorpus corpus = TextCorpus.load(o.data());
    Path checkpoints = o.out().resolve("checkpoints");
    ModelSpec spec;
    if (resume) {
      spec = ModelSpec.fromJson(Checkpoint.readState(checkpoints).modelConfig(), checkpoints);
      if (!spec.alphabet().equals(corpus.tokenizer.alphabet())) {
        throw new IllegalArgumentException(
            "the checkpoint in "
                + checkpoints
                + " was trained on another text (its vocabulary differs from "
                + o.data()
                + ")");
      }
    } else {
      DiffusionConfig c =
          new DiffusionConfig(
              corpus.tokenizer.vocabSize(),
              o.dModel(),
              o.depth(),
              o.heads(),
              o.context(),
              0,
              o.editFraction());
      spec = new ModelSpec(KIND, c, corpus.tokenizer.alphabet(), 0);
    }
    Ops.seed(o.seed());
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    int context = spec.diffusion().context();
    try (AdamW optimizer =
        new AdamW(ParamGroup.standard(model, o.weightDecay()), o.lr(), 0.9, 0.99, 1e-8)) {
      long steps =
          spec.plannedSteps() > 0
              ? spec.plannedSteps()
              : StepPlanner.steps(
                  o.budgetSeconds(),
                  o.maxSteps(),
                  model,
                  i -> model.loss(corpus.trainBatch(o.seed() + 1, i, o.batch(), context).inputs()),
                  1.05);
      spec = new ModelSpec(KIND, spec.diffusion(), spec.alphabet(), steps);
      TrainConfig config =
          TrainConfig.of(steps)
              .withTimeBudgetSeconds(o.budgetSeconds() > 0 ? o.budgetSeconds() * 1.15 : 0)
              .withGradClip(o.gradClip())
              .withEvalEvery(o.evalEvery())
              .withCheckpoints(checkpoints, 0)
              .withCheckpointEverySeconds(120)
              .withMetricsFile(o.out().resolve("metrics.jsonl"))
              .withLogEvery(10)
              .withTokensPerStep((long) o.batch() * context)
              .withProgressBar(o.progressBar())
              .withPrintEvery(o.progressBar() ? 0 : 50)
              .withModelConfig(spec.toJson());
      LrSchedule schedule =
          LrSchedule.warmupCosine(o.lr(), o.minLr(), Math.min(o.warmupSteps(), steps / 10), steps);
      Trainer trainer =
          new Trainer(
                  model,
                  optimizer,
                  schedule,
                  config,
                  step ->
                      model.loss(corpus.trainBatch(o.seed(), step, o.batch(), context).inputs()))
              .onEval(
                  step ->
                      Map.of(
                          "val_nelbo",
                          validationNelbo(
                              model, corpus, o.seed(), o.evalBatches(), o.batch(), context)));
      TrainResult r = resume ? trainer.resume(checkpoints) : trainer.run();
      Path plot = plotLosses(o.out());
      double tokS =
          MetricsLog.median(MetricsLog.series(o.out().resolve("metrics.jsonl"), "tokens_per_s"), 0);
      return new Outcome(
          model.parameterCount(),
          r.step(),
          r.eval().getOrDefault("val_nelbo", Double.NaN),
          r.loss(),
          r.seconds(),
          tokS,
          r.reason(),
          r.checkpoint(),
          o.out().resolve("metrics.jsonl"),
          plot);
    }
  }

  /**
   * Validation NELBO in nats/char: the mean of {@link MaskedDiffusionLm#nelbo} over {@code batches}
   * fixed held-out batches (the AR model's validation windows), t stratified within each batch,
   * masks from a fixed seed.
   */
  public static double validationNelbo(
      MaskedDiffusionLm model, TextCorpus corpus, long seed, int batches, int batch, int context) {
    Ops.seed(seed ^ 0x5EEDL); // the same t and masks at every evaluation
    double sum = 0;
    for (int i = 0; i < batches; i++) {
      try (PointerScope s = new PointerScope();
          var g = Ops.noGrad()) {
        sum += Ops.item(model.nelbo(corpus.valBatch(seed, i, batch, context).inputs()));
      }
    }
    return sum / batches;
  }

  static Path plotLosses(Path out) {
    return Plots.runCurves(
        out,
        "Masked-diffusion character LM",
        "nats/char",
        "loss",
        "train loss",
        "val_nelbo",
        "validation NELBO");
  }

  /** Loads a trained model and its tokenizer from a checkpoint directory or run. */
  public static Loaded load(Path checkpoint) {
    Checkpoint.State state = Checkpoint.readState(checkpoint);
    ModelSpec spec = ModelSpec.fromJson(state.modelConfig(), checkpoint);
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    Checkpoint.loadModel(checkpoint, model);
    model.eval();
    return new Loaded(model, new CharTokenizer(spec.alphabet()), state.step());
  }
}
