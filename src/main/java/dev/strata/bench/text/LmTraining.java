package dev.strata.bench.text;

import dev.strata.nn.Ops;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.tasks.text.CharTokenizer;
import dev.strata.tasks.text.TextCorpus;
import dev.strata.train.Checkpoint;
import dev.strata.train.Fit;
import dev.strata.train.MetricsLog;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a character-level {@link CausalLm} on a text file: nanoGPT's split (first 90% train, last
 * 10% validation), random windows, AdamW with warm-up + cosine, validation loss on a fixed set of
 * held-out windows, checkpoints that resume exactly, metrics as JSONL (the CLI plots them), all
 * through the shared {@link Recipe}.
 *
 * <p>With a time budget the number of steps is fixed up front from the measured speed of a few
 * probe steps, so the learning-rate schedule decays to its minimum as the budget runs out; the plan
 * is stored in the checkpoint, so a resumed run follows the same schedule.
 */
public final class LmTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * What to train and how.
   *
   * @param recipe budget, steps, batch, learning rates, warm-up, weight decay, clip, seed, eval
   *     interval, run directory, progress bar
   * @param context characters per training window
   * @param evalBatches held-out batches per validation
   * @param dropout residual dropout
   * @param dState SSM state size N of M and S layers (0: the architecture's default)
   */
  public record Options(
      Path data,
      String arch,
      Recipe recipe,
      int context,
      int evalBatches,
      double dropout,
      int dState) {

    public Options {
      if (context <= 0)
        throw new IllegalArgumentException("context must be positive, got " + context);
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
          data,
          arch,
          new Recipe(900, 0, 32, 3e-3, 3e-4, 100, 0.1, 1.0, 1337, 250, out, true),
          256,
          16,
          dropout,
          0);
    }

    public Options withRecipe(Recipe r) {
      return new Options(data, arch, r, context, evalBatches, dropout, dState);
    }

    public Options withBudget(double seconds, long steps) {
      return withRecipe(recipe.withBudget(seconds, steps));
    }

    public Options withEval(long every, int batches) {
      return new Options(
          data, arch, recipe.withEvalEvery(every), context, batches, dropout, dState);
    }

    public Options withShape(int batch, int context) {
      return new Options(
          data, arch, recipe.withBatch(batch), context, evalBatches, dropout, dState);
    }

    public Options withLr(double lr, double minLr, long warmupSteps) {
      return withRecipe(recipe.withLr(lr, minLr, warmupSteps));
    }

    public Options withSeed(long seed) {
      return withRecipe(recipe.withSeed(seed));
    }

    public Options withDropout(double p) {
      return new Options(data, arch, recipe, context, evalBatches, p, dState);
    }

    public Options withProgressBar(boolean on) {
      return withRecipe(recipe.withProgressBar(on));
    }

    /** SSM state size N of M and S layers (0: the architecture's default, 64). */
    public Options withDState(int n) {
      return new Options(data, arch, recipe, context, evalBatches, dropout, n);
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
      Path metrics) {}

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
    Path checkpoints = o.recipe().checkpoints();
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
    Recipe r = o.recipe();
    Ops.seed(r.seed());
    CausalLm model = new CausalLm(spec.lm());
    ModelSpec planned = spec;
    TrainResult t =
        Fit.of(
                r,
                model,
                step -> {
                  TextCorpus.Batch b = corpus.trainBatch(r.seed(), step, r.batch(), o.context());
                  return model.loss(b.inputs(), b.targets());
                })
            .eval(step -> Map.of("val_loss", validationLoss(model, corpus, o)))
            .plan(
                spec.plannedSteps(),
                // Time budget of training time (evaluation not counted, as in the PyTorch peer):
                // the fastest probe pass plus 5% for the update. (Early steps run slower than
                // steady state, so the median of the probes under-plans by 10–20%.) Probes draw
                // batches of another seed.
                i -> {
                  TextCorpus.Batch b = corpus.trainBatch(r.seed() + 1, i, r.batch(), o.context());
                  return model.loss(b.inputs(), b.targets());
                },
                1.05)
            .budgetSlack(1.15) // a safety stop (eval included); the plan ends it
            .checkpointEverySeconds(120)
            .tokensPerStep((long) r.batch() * o.context())
            .modelConfig(steps -> new ModelSpec(planned.lm(), planned.alphabet(), steps).toJson())
            .run(resume);
    return new Outcome(
        spec.lm().arch(),
        spec.lm().pattern(),
        model.parameterCount(),
        t.step(),
        t.eval().getOrDefault("val_loss", Double.NaN),
        t.loss(),
        t.seconds(),
        MetricsLog.median(t.series("tokens_per_s"), 0),
        t.reason(),
        t.checkpoint(),
        t.metrics());
  }

  /** Mean validation cross-entropy (nats/char) over a fixed set of held-out windows. */
  public static double validationLoss(CausalLm model, TextCorpus corpus, Options o) {
    Recipe r = o.recipe();
    return validationLoss(model, corpus, r.seed(), o.evalBatches(), r.batch(), o.context());
  }

  /**
   * Mean validation cross-entropy (nats/char) over {@code batches} fixed held-out batches (those of
   * {@code seed}).
   */
  public static double validationLoss(
      CausalLm model, TextCorpus corpus, long seed, int batches, int batch, int context) {
    double sum = 0;
    for (int i = 0; i < batches; i++) {
      try (var s = Ops.scope()) {
        TextCorpus.Batch b = corpus.valBatch(seed, i, batch, context);
        sum += Ops.item(model.loss(b.inputs(), b.targets()));
      }
    }
    return sum / batches;
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
