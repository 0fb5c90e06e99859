package dev.strata.world;

import dev.strata.nn.Ops;
import dev.strata.report.Plots;
import dev.strata.train.AdamW;
import dev.strata.train.Checkpoint;
import dev.strata.train.LrSchedule;
import dev.strata.train.MetricsLog;
import dev.strata.train.ParamGroup;
import dev.strata.train.StepPlanner;
import dev.strata.train.TrainConfig;
import dev.strata.train.TrainResult;
import dev.strata.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a {@link WorldModel} on a Two-Room dataset with the {@link Trainer}: clips from the
 * training episodes rendered on the fly, AdamW with warm-up + cosine, gradient clipping, the
 * held-out 1-step prediction MSE as evaluation, checkpoints that resume exactly, metrics as JSONL
 * (loss, prediction, SIGReg, gradient norm) and their plots.
 *
 * <p>With a time budget the number of steps is fixed up front from the measured speed of a few
 * probe steps, so the schedule decays as the budget runs out; the plan is stored in the checkpoint,
 * so a resumed run follows the same schedule.
 */
public final class WorldTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  static final int EVAL_BATCHES = 4;
  static final int EVAL_BATCH = 128;

  /** What to train and how. */
  public record Options(
      Path data,
      WorldModelConfig config,
      double budgetSeconds,
      long maxSteps,
      long seed,
      long evalEvery,
      Path out,
      boolean progressBar,
      long stopAfter) {
    public Options {
      if (budgetSeconds <= 0 && maxSteps <= 0)
        throw new IllegalArgumentException("give a time budget or a number of steps");
    }

    public Options(
        Path data,
        WorldModelConfig config,
        double budgetSeconds,
        long maxSteps,
        long seed,
        long evalEvery,
        Path out,
        boolean progressBar) {
      this(data, config, budgetSeconds, maxSteps, seed, evalEvery, out, progressBar, 0);
    }

    /** Stops (with a checkpoint, as Ctrl-C does) once this many steps are done; 0: never. */
    public Options withStopAfter(long step) {
      return new Options(
          data, config, budgetSeconds, maxSteps, seed, evalEvery, out, progressBar, step);
    }
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
      Path metrics,
      List<Path> plots) {}

  private WorldTraining() {}

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static Outcome run(Options o, boolean resume) {
    Path checkpoints = o.out().resolve("checkpoints");
    ModelSpec spec;
    if (resume) {
      spec = ModelSpec.fromJson(Checkpoint.readState(checkpoints).modelConfig(), checkpoints);
    } else {
      spec = new ModelSpec(o.config(), 0, 0, 0, TwoRoomConfig.DEFAULT, null);
    }
    Trajectories data = Trajectories.read(o.data(), spec.env());
    if (resume) spec.requireTrainedOn(data, o.data());
    WorldModelConfig c = spec.config();
    ClipSampler sampler = new ClipSampler(data, c);
    Ops.seed(o.seed());
    WorldModel model = new WorldModel(c);
    float[][] stats = sampler.actionStatistics();
    model.actionEncoder.setStatistics(stats[0], stats[1]);
    double[] terms = {Double.NaN, Double.NaN};
    try (AdamW optimizer = new AdamW(ParamGroup.standard(model, c.weightDecay()), c.lr())) {
      long steps = spec.plannedSteps() > 0 ? spec.plannedSteps() : planSteps(o, model, sampler);
      spec = new ModelSpec(c, steps, data.seed, data.episodes(), data.config, data.sha256());
      TrainConfig config =
          TrainConfig.of(steps)
              .withTimeBudgetSeconds(
                  o.budgetSeconds() > 0
                      ? o.budgetSeconds() * 1.15
                      : 0) // a safety stop; the plan ends it
              .withGradClip(c.gradClip())
              .withEvalEvery(o.evalEvery())
              .withCheckpoints(checkpoints, 0)
              .withCheckpointEverySeconds(300)
              .withMetricsFile(o.out().resolve("metrics.jsonl"))
              .withLogEvery(5)
              .withProgressBar(o.progressBar())
              .withPrintEvery(o.progressBar() ? 0 : 25)
              .withModelConfig(spec.toJson());
      LrSchedule schedule =
          LrSchedule.warmupCosine(c.lr(), c.lr() / 10, Math.min(c.warmupSteps(), steps / 5), steps);
      Trainer trainer =
          new Trainer(
                  model,
                  optimizer,
                  schedule,
                  config,
                  step -> {
                    ClipSampler.Batch b = sampler.trainBatch(o.seed(), step);
                    WorldModel.Loss l = model.loss(b.frames(), b.actions());
                    terms[0] = Ops.item(l.prediction());
                    terms[1] = Ops.item(l.sigreg());
                    return l.total();
                  })
              .stepMetrics(() -> Map.of("pred_loss", terms[0], "sigreg", terms[1]))
              .onEval(step -> heldOutMetrics(model, sampler, o.seed()));
      if (o.stopAfter() > 0)
        trainer.onStep(
            r -> {
              if (r.step() >= o.stopAfter()) trainer.requestStop();
            });
      TrainResult r = resume ? trainer.resume(checkpoints) : trainer.run();
      List<Path> plots = plot(o.out());
      List<MetricsLog.Point> times = MetricsLog.series(o.out().resolve("metrics.jsonl"), "step_s");
      double perStep = MetricsLog.median(times, Double.NaN);
      return new Outcome(
          model.parameterCount(),
          r.step(),
          r.loss(),
          terms[0],
          terms[1],
          r.eval().getOrDefault("heldout_pred_mse", Double.NaN),
          r.seconds(),
          perStep,
          r.reason(),
          r.checkpoint(),
          o.out().resolve("metrics.jsonl"),
          plots);
    }
  }

  /** 1-step prediction MSE and SIGReg on fixed held-out clips (eval mode, no gradients). */
  public static Map<String, Double> heldOutMetrics(
      WorldModel model, ClipSampler sampler, long seed) {
    double mse = 0, reg = 0;
    for (int i = 0; i < EVAL_BATCHES; i++) {
      try (PointerScope s = new PointerScope()) {
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

  /**
   * Steps that fit the budget: the fastest of four probe steps (after one warm-up), plus 5% for the
   * update.
   */
  static long planSteps(Options o, WorldModel model, ClipSampler sampler) {
    byte[] rng = Ops.rngState(); // the probe must not change what training draws
    long steps =
        StepPlanner.steps(
            o.budgetSeconds(),
            o.maxSteps(),
            model,
            i -> {
              ClipSampler.Batch b = sampler.trainBatch(o.seed() + 1, i);
              return model.loss(b.frames(), b.actions()).total();
            },
            1.05);
    resetBatchNorm(model);
    Ops.setRngState(rng);
    return steps;
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

  /** Plots of the prediction loss, SIGReg (training and held out) and the gradient norm. */
  static List<Path> plot(Path out) {
    Path metrics = out.resolve("metrics.jsonl");
    try {
      Path losses = out.resolve("losses.png");
      Map<String, double[][]> l = new LinkedHashMap<>();
      putSeries(l, "prediction MSE (train)", metrics, "pred_loss");
      putSeries(l, "prediction MSE (held out)", metrics, "heldout_pred_mse");
      Path sig = out.resolve("sigreg.png");
      Map<String, double[][]> s = new LinkedHashMap<>();
      putSeries(s, "SIGReg (train)", metrics, "sigreg");
      putSeries(s, "SIGReg (held out)", metrics, "heldout_sigreg");
      Path grad = out.resolve("grad_norm.png");
      Map<String, double[][]> g = new LinkedHashMap<>();
      putSeries(g, "gradient norm (before clipping)", metrics, "grad_norm");
      List<Path> written = new java.util.ArrayList<>();
      if (!l.isEmpty()) {
        Plots.linePlot(
            losses,
            "LeWM on Two-Room: next-embedding prediction",
            "step",
            "MSE",
            l,
            Plots.YScale.LOG);
        written.add(losses);
      }
      if (!s.isEmpty()) {
        Plots.linePlot(sig, "LeWM on Two-Room: SIGReg", "step", "SIGReg", s, Plots.YScale.LOG);
        written.add(sig);
      }
      if (!g.isEmpty()) {
        Plots.linePlot(grad, "LeWM on Two-Room: gradient norm", "step", "‖g‖", g, Plots.YScale.LOG);
        written.add(grad);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plots under " + out + ": " + e.getMessage(), e);
    }
  }

  private static void putSeries(
      Map<String, double[][]> series, String name, Path metrics, String key) {
    List<MetricsLog.Point> points = MetricsLog.series(metrics, key);
    if (!points.isEmpty()) series.put(name, MetricsLog.xy(points));
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
