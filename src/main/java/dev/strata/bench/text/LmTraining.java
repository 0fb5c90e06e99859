package dev.strata.bench.text;

import dev.strata.nn.Ops;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
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
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a character-level {@link CausalLm} on a text file: nanoGPT's split (first 90% train, last
 * 10% validation), random windows, AdamW with warm-up + cosine, validation loss on a fixed set of
 * held-out windows, checkpoints that resume exactly, metrics as JSONL and a loss plot.
 *
 * <p>With a time budget the number of steps is fixed up front from the measured speed of a few
 * probe steps, so the learning-rate schedule decays to its minimum as the budget runs out; the plan
 * is stored in the checkpoint, so a resumed run follows the same schedule.
 */
public final class LmTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** What to train and how. */
  public record Options(
      Path data,
      String arch,
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
      double dropout,
      int dState) {

    public Options {
      if (budgetSeconds <= 0 && maxSteps <= 0)
        throw new IllegalArgumentException("give a time budget or a number of steps");
      if (batch <= 0 || context <= 0)
        throw new IllegalArgumentException("batch and context must be positive");
      if (!(lr > 0))
        throw new IllegalArgumentException("learning rate must be positive, got " + lr);
      if (evalBatches <= 0)
        throw new IllegalArgumentException("eval batches must be positive, got " + evalBatches);
      if (dropout < 0 || dropout >= 1)
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      if (dState < 0)
        throw new IllegalArgumentException("--d-state must be positive, got " + dState);
    }

    /**
     * The CPU defaults of the foundation benchmark (15 minutes on 2 cores). Mamba-2 gets residual
     * dropout 0.1: without it the 0.84M model overfits within the ~850 steps the budget allows
     * (train loss 1.11, validation 1.543; with it 1.524); Mamba-3, of the same size, gets the same.
     */
    public static Options cpu(Path data, String arch, Path out) {
      double dropout = arch.equals("mamba2") || arch.equals("mamba3") ? 0.1 : 0;
      return new Options(
          data, arch, 900, 0, 32, 256, 3e-3, 3e-4, 100, 0.1, 1.0, 1337, 250, 16, out, true, dropout,
          0);
    }

    public Options withBudget(double seconds, long steps) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    public Options withEval(long every, int batches) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    public Options withShape(int batch, int context) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    public Options withLr(double lr, double minLr, long warmupSteps) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    public Options withSeed(long seed) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    public Options withDropout(double p) {
      return new Options(
          data,
          arch,
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
          p,
          dState);
    }

    public Options withProgressBar(boolean on) {
      return new Options(
          data,
          arch,
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
          dropout,
          dState);
    }

    /** SSM state size N of M and S layers (0: the architecture's default, 64). */
    public Options withDState(int n) {
      return new Options(
          data,
          arch,
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
          dropout,
          n);
    }
  }

  /** What a run produced. */
  public record Outcome(
      String arch,
      String pattern,
      long params,
      long steps,
      double valLoss,
      double trainLoss,
      double seconds,
      double tokensPerSecond,
      TrainResult.StopReason stop,
      Path checkpoint,
      Path metrics,
      Path plot) {}

  /** The model and tokenizer a checkpoint describes (stored as the checkpoint's model config). */
  public record ModelSpec(LmConfig lm, String alphabet, long plannedSteps) {
    String toJson() {
      return JSON.writeValueAsString(this);
    }

    static ModelSpec fromJson(String json, Path where) {
      try {
        return JSON.readValue(json, ModelSpec.class);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "checkpoint "
                + where
                + " does not describe a Strata language model ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
    }
  }

  private LmTraining() {}

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static Outcome run(Options o, boolean resume) {
    TextCorpus corpus = TextCorpus.load(o.data());
    Path checkpoints = o.out().resolve("checkpoints");
    ModelSpec spec;
    if (resume) {
      Checkpoint.State saved = Checkpoint.readState(checkpoints);
      spec = ModelSpec.fromJson(saved.modelConfig(), checkpoints);
      if (!spec.alphabet().equals(corpus.tokenizer.alphabet())) {
        throw new IllegalArgumentException(
            "the checkpoint in "
                + checkpoints
                + " was trained on another text (its vocabulary differs from "
                + o.data()
                + ")");
      }
    } else {
      LmConfig base = LmConfig.cpu(o.arch(), corpus.tokenizer.vocabSize());
      LmConfig lm =
          new LmConfig(
              base.arch(),
              base.vocab(),
              base.dModel(),
              base.pattern(),
              base.heads(),
              o.dState() > 0 ? o.dState() : base.dState(),
              base.headDim(),
              base.expand(),
              base.chunk(),
              o.context(),
              o.dropout());
      spec = new ModelSpec(lm, corpus.tokenizer.alphabet(), 0);
    }
    Ops.seed(o.seed());
    CausalLm model = new CausalLm(spec.lm());
    try (AdamW optimizer =
        new AdamW(ParamGroup.standard(model, o.weightDecay()), o.lr(), 0.9, 0.99, 1e-8)) {
      long steps = spec.plannedSteps() > 0 ? spec.plannedSteps() : planSteps(o, model, corpus);
      spec = new ModelSpec(spec.lm(), spec.alphabet(), steps);
      long tokensPerStep = (long) o.batch() * o.context();
      TrainConfig config =
          TrainConfig.of(steps)
              .withTimeBudgetSeconds(
                  o.budgetSeconds() > 0
                      ? o.budgetSeconds() * 1.15
                      : 0) // a safety stop (eval included); the plan ends it
              .withGradClip(o.gradClip())
              .withEvalEvery(o.evalEvery())
              .withCheckpoints(checkpoints, 0)
              .withCheckpointEverySeconds(120)
              .withMetricsFile(o.out().resolve("metrics.jsonl"))
              .withLogEvery(10)
              .withTokensPerStep(tokensPerStep)
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
                  step -> {
                    TextCorpus.Batch b = corpus.trainBatch(o.seed(), step, o.batch(), o.context());
                    return model.loss(b.inputs(), b.targets());
                  })
              .onEval(step -> Map.of("val_loss", validationLoss(model, corpus, o)));
      TrainResult r = resume ? trainer.resume(checkpoints) : trainer.run();
      Path plot = plotLosses(o.out(), spec.lm().arch());
      List<MetricsLog.Point> train =
          MetricsLog.series(o.out().resolve("metrics.jsonl"), "tokens_per_s");
      double tokS = MetricsLog.median(train, 0);
      return new Outcome(
          spec.lm().arch(),
          spec.lm().pattern(),
          model.parameterCount(),
          r.step(),
          r.eval().getOrDefault("val_loss", Double.NaN),
          r.loss(),
          r.seconds(),
          tokS,
          r.reason(),
          r.checkpoint(),
          o.out().resolve("metrics.jsonl"),
          plot);
    }
  }

  /** Mean validation cross-entropy (nats/char) over a fixed set of held-out windows. */
  public static double validationLoss(CausalLm model, TextCorpus corpus, Options o) {
    return validationLoss(model, corpus, o.seed(), o.evalBatches(), o.batch(), o.context());
  }

  /**
   * Mean validation cross-entropy (nats/char) over {@code batches} fixed held-out batches (those of
   * {@code seed}).
   */
  public static double validationLoss(
      CausalLm model, TextCorpus corpus, long seed, int batches, int batch, int context) {
    double sum = 0;
    for (int i = 0; i < batches; i++) {
      try (PointerScope s = new PointerScope()) {
        TextCorpus.Batch b = corpus.valBatch(seed, i, batch, context);
        sum += Ops.item(model.loss(b.inputs(), b.targets()));
      }
    }
    return sum / batches;
  }

  /**
   * Steps that fit the time budget of training time (evaluation not counted, as in the PyTorch
   * peer): the fastest of six probe forward + backward passes after two warm-up passes, plus 5% for
   * the AdamW update and clipping. (Early steps run slower than steady state, so the median of the
   * probes under-plans by 10–20%; the fastest is the closer estimate.) The probes only accumulate
   * gradients, which are then cleared, so the model is unchanged.
   */
  static long planSteps(Options o, CausalLm model, TextCorpus corpus) {
    return StepPlanner.steps(
        o.budgetSeconds(),
        o.maxSteps(),
        model,
        i -> {
          TextCorpus.Batch b = corpus.trainBatch(o.seed() + 1, i, o.batch(), o.context());
          return model.loss(b.inputs(), b.targets());
        },
        1.05);
  }

  /** Training and validation loss against step, one PNG. */
  static Path plotLosses(Path out, String arch) {
    return Plots.runCurves(
        out,
        "Character LM: " + arch,
        "loss (nats/char)",
        "loss",
        arch + " train",
        "val_loss",
        arch + " validation");
  }

  /** Loads a trained model and its tokenizer from a checkpoint directory or run. */
  public static Loaded load(Path checkpoint) {
    Checkpoint.State state = Checkpoint.readState(checkpoint);
    ModelSpec spec = ModelSpec.fromJson(state.modelConfig(), checkpoint);
    CausalLm model = new CausalLm(spec.lm());
    Checkpoint.loadModel(checkpoint, model);
    return new Loaded(model, new CharTokenizer(spec.alphabet()), state.step());
  }

  public record Loaded(CausalLm model, CharTokenizer tokenizer, long step) {}
}
