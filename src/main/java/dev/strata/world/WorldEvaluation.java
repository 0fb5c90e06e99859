package dev.strata.world;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.train.ResultJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata world eval}: the planning protocol ({@link WorldEval}) with the CEM planner and the
 * random-policy baseline on the same held-out tasks, the linear probe and the 1-step prediction MSE
 * on fresh rollouts; returns the {@link Result} and writes {@code result.json} and a trajectory
 * plot (the command that runs it writes {@code report.md} from the result).
 */
public final class WorldEvaluation {
  /**
   * Episodes of fresh rollouts for the 1-step prediction MSE, and their seed (not the dataset's).
   */
  static final int FRESH_EPISODES = 200;

  static final long FRESH_SEED = 0x5EEDF00DL;

  /** The planned-vs-executed plot, in the result directory. */
  public static final String TRAJECTORIES_PNG = "trajectories.png";

  /** What the evaluation measured. */
  public record Result(
      String protocol,
      WorldEval.Protocol settings,
      String checkpoint,
      long step,
      String config,
      String planner,
      WorldEval.Summary planned,
      WorldEval.Summary random,
      double probeR2X,
      double probeR2Y,
      double freshPredMse,
      double seconds,
      List<WorldEval.EpisodeSummary> plannedEpisodes) {}

  private WorldEvaluation() {}

  public static Result run(
      Path checkpoint,
      Path dataFile,
      WorldEval.Protocol protocol,
      LatentPlanner planner,
      boolean probe,
      Path out) {
    return run(checkpoint, dataFile, protocol, planner, probe, DType.FLOAT32, out);
  }

  /**
   * As {@link #run(Path, Path, WorldEval.Protocol, LatentPlanner, boolean, Path)}, with the
   * planner's rollouts in {@code planDtype}: bfloat16 roughly halves the time of the predictor's
   * matmuls on CPUs with AVX-512 BF16 (the probe and prediction MSE are measured first, in
   * float32).
   */
  public static Result run(
      Path checkpoint,
      Path dataFile,
      WorldEval.Protocol protocol,
      LatentPlanner planner,
      boolean probe,
      DType planDtype,
      Path out) {
    long t0 = System.nanoTime();
    WorldTraining.Loaded loaded = WorldTraining.load(checkpoint);
    Trajectories data = Trajectories.read(dataFile, loaded.spec().env());
    loaded.spec().requireTrainedOn(data, dataFile);
    WorldModel model = loaded.model();
    List<WorldEval.Task> tasks =
        WorldEval.tasks(data, protocol.episodes(), protocol.seed(), protocol.offset());
    double[] r2 =
        probe ? WorldEval.probe(model, data, 4096, 2048, 7) : new double[] {Double.NaN, Double.NaN};
    double freshMse = freshPredictionMse(model, loaded.spec());
    model.predictor.to(planDtype); // the planner only runs the action encoder and the predictor
    model.actionEncoder.to(planDtype);
    List<WorldEval.EpisodeResult> planned =
        WorldEval.plan(model, data.config, tasks, protocol, planner);
    List<WorldEval.EpisodeResult> random =
        WorldEval.random(data.config, tasks, protocol, protocol.seed() + 1);
    WorldEval.Summary plannedSummary =
        WorldEval.summarize(planner.method() + " in latent space", planned);
    WorldEval.Summary randomSummary = WorldEval.summarize("random policy", random);
    Result result =
        new Result(
            protocol.describe(data.config),
            protocol,
            checkpoint.toString(),
            loaded.step(),
            loaded.spec().config().name(),
            planner.describe(),
            plannedSummary,
            randomSummary,
            r2[0],
            r2[1],
            freshMse,
            (System.nanoTime() - t0) / 1e9,
            planned.stream().map(WorldEval.EpisodeSummary::of).toList());
    write(result, data.config, planned, out);
    return result;
  }

  /**
   * 1-step prediction MSE (eval mode) on clips of freshly collected episodes, never seen in
   * training.
   */
  public static double freshPredictionMse(WorldModel model, WorldTraining.ModelSpec spec) {
    Trajectories fresh =
        Trajectories.collect(spec.env(), FRESH_EPISODES + 1, FRESH_EPISODES, FRESH_SEED);
    ClipSampler sampler = new ClipSampler(fresh, spec.config());
    model.eval();
    try (var g = Ops.noGrad()) {
      return WorldTraining.heldOutMetrics(model, sampler, FRESH_SEED).get("heldout_pred_mse");
    }
  }

  /**
   * The first four episodes, plus the first missed one if none of those missed (failures are worth
   * a look).
   */
  static List<WorldEval.EpisodeResult> pictured(List<WorldEval.EpisodeResult> episodes) {
    List<WorldEval.EpisodeResult> shown =
        new java.util.ArrayList<>(episodes.subList(0, Math.min(4, episodes.size())));
    if (shown.stream().allMatch(WorldEval.EpisodeResult::success)) {
      episodes.stream().filter(e -> !e.success()).findFirst().ifPresent(shown::add);
    }
    return shown;
  }

  private static void write(
      Result r, TwoRoomConfig env, List<WorldEval.EpisodeResult> planned, Path out) {
    try {
      Files.createDirectories(out);
      ResultJson.write(out.resolve("result.json"), r);
      TrajectoryPicture.write(out.resolve(TRAJECTORIES_PNG), env, pictured(planned));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the evaluation under " + out + ": " + e.getMessage(), e);
    }
  }

  public static String pct(WorldEval.Summary s) {
    return String.format(
        "%.1f%% (%d/%d; 95%% CI %.1f–%.1f%%)",
        100 * s.successRate(), s.successes(), s.episodes(), 100 * s.ciLow(), 100 * s.ciHigh());
  }

  /** The probe alone ({@code strata world probe}). */
  public static double[] probe(Path checkpoint, Path dataFile) {
    WorldTraining.Loaded loaded = WorldTraining.load(checkpoint);
    Trajectories data = Trajectories.read(dataFile, loaded.spec().env());
    loaded.spec().requireTrainedOn(data, dataFile);
    return WorldEval.probe(loaded.model(), data, 4096, 2048, 7);
  }

  public static List<String> lines(Result r) {
    List<String> l = new ArrayList<>();
    l.add("protocol: " + r.protocol());
    l.add(
        r.planner()
            + ": success "
            + pct(r.planned())
            + ", mean final distance "
            + String.format("%.1f px", r.planned().meanFinalDistance())
            + ", plan time "
            + String.format(
                "%.3f s mean, %.3f s median",
                r.planned().meanPlanSeconds(), r.planned().medianPlanSeconds()));
    l.add(
        "random policy: success "
            + pct(r.random())
            + ", mean final distance "
            + String.format("%.1f px", r.random().meanFinalDistance()));
    l.add(
        String.format(
            "linear probe R² (x, y): %.3f, %.3f; 1-step prediction MSE on fresh rollouts: %.4f",
            r.probeR2X(), r.probeR2Y(), r.freshPredMse()));
    return l;
  }
}
