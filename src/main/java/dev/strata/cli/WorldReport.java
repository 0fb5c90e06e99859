package dev.strata.cli;

import dev.strata.report.Report;
import dev.strata.world.WorldEvaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The {@code report.md} of a world-model evaluation, written beside the {@code result.json} and the
 * trajectory plot that {@link WorldEvaluation#run} leaves in {@code out}.
 */
final class WorldReport {
  private WorldReport() {}

  static void write(WorldEvaluation.Result r, Path out) {
    try {
      new Report("LeWM on Two-Room: planning in latent space")
          .put("protocol", r.protocol())
          .put("checkpoint", r.checkpoint() + " (step " + r.step() + ", config " + r.config() + ")")
          .put("planner", r.planner())
          .put("planner success", WorldEvaluation.pct(r.planned()))
          .put("planner mean final distance (px)", r.planned().meanFinalDistance())
          .put(
              "plan time per replanning step (s, mean / median)",
              String.format(
                  "%.3f / %.3f over %d plans",
                  r.planned().meanPlanSeconds(),
                  r.planned().medianPlanSeconds(),
                  r.planned().plans()))
          .put("random policy success", WorldEvaluation.pct(r.random()))
          .put("random policy mean final distance (px)", r.random().meanFinalDistance())
          .put(
              "linear probe R² (x, y), held-out frames",
              String.format("%.3f, %.3f", r.probeR2X(), r.probeR2Y()))
          .put("1-step prediction MSE, fresh rollouts", r.freshPredMse())
          .put("evaluation time (s)", r.seconds())
          .plot(
              "Planned vs executed paths on the Two-Room map",
              out.resolve(WorldEvaluation.TRAJECTORIES_PNG))
          .write(out.resolve("report.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the evaluation under " + out + ": " + e.getMessage(), e);
    }
  }
}
