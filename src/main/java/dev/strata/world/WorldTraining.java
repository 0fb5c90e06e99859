package dev.strata.world;

import dev.strata.nn.Ops;
import dev.strata.train.Checkpoint;
import dev.strata.train.Fit;
import dev.strata.train.MetricsLog;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a {@link WorldModel} on a Two-Room dataset with {@link Fit}: clips from the training
 * episodes rendered on the fly, AdamW with warm-up + cosine, gradient clipping, the held-out 1-step
 * prediction MSE as evaluation, checkpoints that resume exactly, metrics as JSONL (loss,
 * prediction, SIGReg, gradient norm; the CLI plots them), through the shared {@link Recipe}.
 *
 * <p>With a time budget the number of steps is fixed up front from the measured speed of a few
 * probe steps, so the schedule decays as the budget runs out; the plan is stored in the checkpoint,
 * so a resumed run follows the same schedule.
 */
public final class WorldTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  static final int EVAL_BATCHES = 4;
  static final int EVAL_BATCH = 128;

  /**
   * What to train and how.
   *
   * @param recipe budget, steps, seed, eval interval, run directory, progress bar; batch, learning
   *     rates, warm-up, weight decay and clip come from the model configuration (the checkpoint's
   *     on resume)
   * @param stopAfter stop (with a checkpoint, as Ctrl-C does) once this many steps are done; 0:
   *     never
   */
  public record Options(Path data, WorldModelConfig config, Recipe recipe, long stopAfter) {
    /** The recipe of {@code config}: its batch, learning rate (cosine to lr/10), warm-up, decay. */
    public static Options of(
        Path data,
        WorldModelConfig config,
        double budgetSeconds,
        long maxSteps,
        long seed,
        long evalEvery,
        Path out,
        boolean progressBar) {
      Recipe r =
          optimizer(
              Recipe.of(budgetSeconds, maxSteps, config.batch(), config.lr())
                  .withSeed(seed)
                  .withEvalEvery(evalEvery)
                  .withOut(out)
                  .withProgressBar(progressBar),
              config);
      return new Options(data, config, r, 0);
    }

    /** Stops (with a checkpoint, as Ctrl-C does) once this many steps are done; 0: never. */
    public Options withStopAfter(long step) {
      return new Options(data, config, recipe, step);
    }
  }

  /** {@code r} with the batch and optimizer settings of {@code c}. */
  static Recipe optimizer(Recipe r, WorldModelConfig c) {
    return r.withBatch(c.batch())
        .withLr(c.lr(), c.lr() / 10, c.warmupSteps())
        .withWeightDecay(c.weightDecay())
        .withGradClip(c.gradClip());
  }

  /**
   * The model a checkpoint holds: its configuration, the planned steps, and the dataset it was
   * trained on (its seed, episodes and the SHA-256 of its file, which fixes the held-out split
   * too).
   */
  public record ModelSpec(
      WorldModelConfig config,
      long plannedSteps,
      long datasetSeed,
      int datasetEpisodes,
      TwoRoomConfig env,
      String datasetSha256) {
    String toJson() {
      return JSON.writeValueAsString(this);
    }

    /**
     * Refuses any dataset but the file this model was trained on: another file (re-collected with
     * another seed, episode count or held-out count) could hold training episodes among its
     * held-out ones.
     */
    public void requireTrainedOn(Trajectories data, Path file) {
      if (datasetSha256 == null) {
        throw new IllegalArgumentException(
            "the checkpoint records no dataset checksum (written by an older Strata), so "
                + file
                + " cannot be checked against its training data; retrain with strata world train");
      }
      if (!datasetSha256.equals(data.sha256())) {
        throw new IllegalArgumentException(
            "the checkpoint was trained on another dataset (seed "
                + datasetSeed
                + ", "
                + datasetEpisodes
                + " episodes, SHA-256 "
                + datasetSha256.substring(0, 12)
                + "…) than "
                + file
                + " (seed "
                + data.seed
                + ", "
                + data.episodes()
                + " episodes, "
                + data.heldOut
                + " held out, SHA-256 "
                + data.sha256().substring(0, 12)
                + "…): its held-out episodes could have been training data");
      }
    }

    public static ModelSpec fromJson(String json, Path where) {
      try {
        ModelSpec s = JSON.readValue(json, ModelSpec.class);
        if (s.config() == null) throw new IllegalArgumentException("no world-model configuration");
        return s;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "checkpoint "
                + where
                + " does not hold a Strata world model ("
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                + ")");
      }
    }
  }

  /** What a run produced. */
  public record Outcome(
      long params,
      long steps,
      double loss,
      double prediction,
      double sigreg,
      double heldOutMse,
      double seconds,
      double secondsPerStep,
      TrainResult.StopReason stop,
      Path checkpoint,
      Path metrics) {}

  private WorldTraining() {}

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static Outcome run(Options o, boolean resume) {
    Path checkpoints = o.recipe().checkpoints();
    ModelSpec spec;
    if (resume) {
      spec = ModelSpec.fromJson(Checkpoint.readState(checkpoints).modelConfig(), checkpoints);
    } else {
      spec = new ModelSpec(o.config(), 0, 0, 0, TwoRoomConfig.DEFAULT, null);
    }
    Trajectories data = Trajectories.read(o.data(), spec.env());
    if (resume) spec.requireTrainedOn(data, o.data());
    WorldModelConfig c = spec.config();
    Recipe r = optimizer(o.recipe(), c);
    ClipSampler sampler = new ClipSampler(data, c);
    Ops.seed(r.seed());
    WorldModel model = new WorldModel(c);
    float[][] stats = sampler.actionStatistics();
    model.actionEncoder.setStatistics(stats[0], stats[1]);
    double[] terms = {Double.NaN, Double.NaN};
    byte[] rng = Ops.rngState(); // the probe must not change what training draws
    TrainResult t =
        Fit.of(
                r,
                model,
                step -> {
                  ClipSampler.Batch b = sampler.trainBatch(r.seed(), step);
                  WorldModel.Loss l = model.loss(b.frames(), b.actions());
                  terms[0] = Ops.item(l.prediction());
                  terms[1] = Ops.item(l.sigreg());
                  return l.total();
                })
            .stepMetrics(() -> Map.of("pred_loss", terms[0], "sigreg", terms[1]))
            .eval(step -> heldOutMetrics(model, sampler, r.seed()))
            // Steps that fit the budget: the fastest probe pass plus 5% for the update.
            .plan(
                spec.plannedSteps(),
                i -> {
                  ClipSampler.Batch b = sampler.trainBatch(r.seed() + 1, i);
                  return model.loss(b.frames(), b.actions()).total();
                },
                1.05)
            .afterProbe(
                () -> {
                  resetBatchNorm(model);
                  Ops.setRngState(rng);
                })
            .budgetSlack(1.15) // a safety stop; the plan ends it
            .beta2(0.999)
            .warmupCap(5)
            .checkpointEverySeconds(300)
            .logEvery(5)
            .printEvery(25)
            .stopAfter(o.stopAfter())
            .modelConfig(
                steps ->
                    new ModelSpec(c, steps, data.seed, data.episodes(), data.config, data.sha256())
                        .toJson())
            .run(resume);
    return new Outcome(
        model.parameterCount(),
        t.step(),
        t.loss(),
        terms[0],
        terms[1],
        t.eval().getOrDefault("heldout_pred_mse", Double.NaN),
        t.seconds(),
        MetricsLog.median(t.series("step_s"), Double.NaN),
        t.reason(),
        t.checkpoint(),
        t.metrics());
  }

  /** 1-step prediction MSE and SIGReg on fixed held-out clips (eval mode, no gradients). */
  public static Map<String, Double> heldOutMetrics(
      WorldModel model, ClipSampler sampler, long seed) {
    double mse = 0, reg = 0;
    for (int i = 0; i < EVAL_BATCHES; i++) {
      try (var s = Ops.scope()) {
        ClipSampler.Batch b = sampler.heldOutBatch(seed, i, EVAL_BATCH);
        WorldModel.Loss l = model.loss(b.frames(), b.actions());
        mse += Ops.item(l.prediction());
        reg += Ops.item(l.sigreg());
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("heldout_pred_mse", mse / EVAL_BATCHES);
    m.put("heldout_sigreg", reg / EVAL_BATCHES);
    return m;
  }

  /** Probe passes update BatchNorm running statistics; put them back to their initial values. */
  private static void resetBatchNorm(WorldModel model) {
    try (var g = Ops.noGrad()) {
      model
          .namedBuffers()
          .forEach(
              (name, t) -> {
                if (name.endsWith("running_mean") || name.endsWith("num_batches_tracked"))
                  Ops.fillInPlace(t, 0);
                if (name.endsWith("running_var")) Ops.fillInPlace(t, 1);
              });
    }
  }

  /** A trained model and what it was trained on. */
  public record Loaded(WorldModel model, ModelSpec spec, long step) {}

  /**
   * Loads a trained world model from a checkpoint directory or run's checkpoint root (eval mode).
   */
  public static Loaded load(Path checkpoint) {
    Checkpoint.State state = Checkpoint.readState(checkpoint);
    ModelSpec spec = ModelSpec.fromJson(state.modelConfig(), checkpoint);
    WorldModel model = new WorldModel(spec.config());
    Checkpoint.loadModel(checkpoint, model);
    model.eval();
    return new Loaded(model, spec, state.step());
  }
}
