package dev.strata.report;

import dev.strata.train.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of the trainings, drawn from a run directory's {@code metrics.jsonl} once the training
 * returned: each training logs its series, the command that ran it draws them here.
 */
public final class TrainingPlots {
  private TrainingPlots() {}

  /** Character LM: training and validation loss against step, {@code out/loss.png}. */
  public static Path characterLm(Path out, String arch) {
    return Plots.runCurves(
        out,
        "Character LM: " + arch,
        "loss (nats/char)",
        "loss",
        arch + " train",
        "val_loss",
        arch + " validation");
  }

  /** Masked-diffusion character LM: training loss and validation NELBO, {@code out/loss.png}. */
  public static Path characterDiffusion(Path out) {
    return Plots.runCurves(
        out,
        "Masked-diffusion character LM",
        "nats/char",
        "loss",
        "train loss",
        "val_nelbo",
        "validation NELBO");
  }

  /** AR proposer: answer cross-entropy, training and validation, {@code out/loss.png}. */
  public static Path arProposer(Path out, String task) {
    return Plots.runCurves(
        out,
        "AR proposer: " + task,
        "answer cross-entropy (nats/token)",
        "loss",
        "train",
        "val_loss",
        "validation");
  }

  /** Diffusion proposer: training loss and validation NELBO, {@code out/loss.png}. */
  public static Path diffusionProposer(Path out, String task) {
    return Plots.runCurves(
        out,
        "diffusion proposer: " + task,
        "answer NELBO (nats/token)",
        "loss",
        "train loss",
        "val_loss",
        "validation NELBO");
  }

  /**
   * World model: prediction loss ({@code losses.png}), SIGReg ({@code sigreg.png}), training and
   * held out, and the gradient norm ({@code grad_norm.png}); returns the plots written.
   */
  public static List<Path> worldModel(Path out) {
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
      List<Path> written = new ArrayList<>();
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
}
