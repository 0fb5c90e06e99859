package dev.strata.cli;

import dev.strata.report.Plots;
import dev.strata.train.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata plot}: curves from several runs' metrics in one PNG (e.g. three LMs' validation
 * loss).
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Plot one metric from several runs' metrics.jsonl files in one PNG.")
final class PlotCommand implements Runnable {
  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description = "run directories (holding metrics.jsonl) or metrics files")
  List<Path> runs;

  @Option(
      names = "--key",
      defaultValue = "val_loss",
      description = "metric to plot (default: ${DEFAULT-VALUE})")
  String key;

  @Option(
      names = "--out",
      defaultValue = "runs/compare.png",
      description = "PNG to write (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--x",
      defaultValue = "step",
      description =
          "x axis: ${COMPLETION-CANDIDATES} (wall_s: seconds of training; default: ${DEFAULT-VALUE})")
  Axis x;

  /** The x axes a metrics file has; {@link #toString()} is the metric's key. */
  enum Axis {
    STEP("step"),
    WALL_S("wall_s");

    private final String key;

    Axis(String key) {
      this.key = key;
    }

    @Override
    public String toString() {
      return key;
    }
  }

  @Override
  public void run() {
    Map<String, double[][]> series = new LinkedHashMap<>();
    for (Path run : runs) {
      Path metrics = Files.isDirectory(run) ? run.resolve("metrics.jsonl") : run;
      if (!Files.isRegularFile(metrics))
        throw new IllegalArgumentException("no metrics file at " + metrics);
      List<Map<String, Object>> rows =
          MetricsLog.read(metrics).stream().filter(r -> r.get(key) instanceof Number).toList();
      if (rows.isEmpty())
        throw new IllegalArgumentException(metrics + " has no '" + key + "' values");
      double[] xs = new double[rows.size()];
      double[] ys = new double[rows.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = ((Number) rows.get(i).get(x.toString())).doubleValue();
        ys[i] = ((Number) rows.get(i).get(key)).doubleValue();
      }
      String name = (Files.isDirectory(run) ? run : run.getParent()).getFileName().toString();
      series.put(name, new double[][] {xs, ys});
    }
    try {
      if (out.getParent() != null) Files.createDirectories(out.getParent());
      Plots.linePlot(
          out,
          key + " by " + (x == Axis.STEP ? "step" : "training seconds"),
          x == Axis.STEP ? "step" : "seconds",
          key,
          series);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    System.out.println("wrote " + out);
  }
}
