package dev.strata.bench.text;

import dev.strata.nn.Ops;
import dev.strata.propose.DiffusionConfig;
import dev.strata.propose.MaskedDiffusionLm;
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
 * Trains a character-level {@link MaskedDiffusionLm} on a text file with the same split, windows
 * and loop as {@link LmTraining} (nanoGPT's 90/10 split, random windows, AdamW with warm-up +
 * cosine through the shared {@link Recipe}: progress, checkpoints, exact resume, metrics), so its
 * validation NELBO (nats/char, on held-out windows of the same split) sits next to the AR model's
 * validation loss. The NELBO is estimated on a fixed set of windows with fixed stratified t and
 * masks (seeded inside the evaluation, which the Trainer runs on a forked RNG), so successive
 * evaluations differ only by the model.
 */
public final class DiffusionTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The {@code kind} a diffusion checkpoint's model config carries. */
  public static final String KIND = "masked-diffusion";

  /**
   * What to train and how.
   *
   * @param recipe budget, steps, batch, learning rates, warm-up, weight decay, clip, seed, eval
   *     interval, run directory, progress bar
   * @param context characters per training window
   * @param evalBatches held-out batches per validation
   * @param editFraction LLaDA 2.1's editing variant: fraction of unmasked tokens replaced by random
   *     ones (0: plain MDLM)
   */
  public record Options(
      Path data,
      Recipe recipe,
      int context,
      int evalBatches,
      double editFraction,
      int dModel,
      int depth,
      int heads) {

    public Options {
      if (context <= 0)
        throw new IllegalArgumentException("context must be positive, got " + context);
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
          data,
          new Recipe(900, 0, 32, 3e-3, 3e-4, 100, 0.1, 1.0, 1337, 250, out, true),
          256,
          16,
          0,
          128,
          4,
          4);
    }

    public Options withRecipe(Recipe r) {
      return new Options(data, r, context, evalBatches, editFraction, dModel, depth, heads);
    }

    public Options withBudget(double seconds, long steps) {
      return withRecipe(recipe.withBudget(seconds, steps));
    }

    public Options withShape(int batch, int context) {
      return new Options(
          data, recipe.withBatch(batch), context, evalBatches, editFraction, dModel, depth, heads);
    }

    public Options withModel(int dModel, int depth, int heads) {
      return new Options(data, recipe, context, evalBatches, editFraction, dModel, depth, heads);
    }

    public Options withLr(double lr, double minLr, long warmupSteps) {
      return withRecipe(recipe.withLr(lr, minLr, warmupSteps));
    }

    public Options withEval(long every, int batches) {
      return new Options(
          data, recipe.withEvalEvery(every), context, batches, editFraction, dModel, depth, heads);
    }

    public Options withSeed(long seed) {
      return withRecipe(recipe.withSeed(seed));
    }

    public Options withEditFraction(double f) {
      return new Options(data, recipe, context, evalBatches, f, dModel, depth, heads);
    }

    public Options withProgressBar(boolean on) {
      return withRecipe(recipe.withProgressBar(on));
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
      Path metrics) {}

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
    Recipe r = o.recipe();
    Path checkpoints = r.checkpoints();
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
    Ops.seed(r.seed());
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    int context = spec.diffusion().context();
    ModelSpec planned = spec;
    TrainResult t =
        Fit.of(
                r,
                model,
                step -> model.loss(corpus.trainBatch(r.seed(), step, r.batch(), context).inputs()))
            .eval(
                step ->
                    Map.of(
                        "val_nelbo",
                        validationNelbo(
                            model, corpus, r.seed(), o.evalBatches(), r.batch(), context)))
            .plan(
                spec.plannedSteps(),
                i -> model.loss(corpus.trainBatch(r.seed() + 1, i, r.batch(), context).inputs()),
                1.05)
            .budgetSlack(1.15)
            .checkpointEverySeconds(120)
            .tokensPerStep((long) r.batch() * context)
            .modelConfig(
                steps ->
                    new ModelSpec(KIND, planned.diffusion(), planned.alphabet(), steps).toJson())
            .run(resume);
    return new Outcome(
        model.parameterCount(),
        t.step(),
        t.eval().getOrDefault("val_nelbo", Double.NaN),
        t.loss(),
        t.seconds(),
        MetricsLog.median(t.series("tokens_per_s"), 0),
        t.reason(),
        t.checkpoint(),
        t.metrics());
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
      try (var s = Ops.scope();
          var g = Ops.noGrad()) {
        sum += Ops.item(model.nelbo(corpus.valBatch(seed, i, batch, context).inputs()));
      }
    }
    return sum / batches;
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
