package dev.strata.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line plots written as PNG files (XChart, rendered off-screen; no display needed). */
public final class Plots {
  private Plots() {}

  /** Width of every plot, in pixels. */
  public static final int WIDTH = 900;

  /** Height of every plot, in pixels. */
  public static final int HEIGHT = 540;

  /** How the y axis maps values to height. */
  public enum YScale {
    LINEAR,
    LOG
  }

  static {
    // Rendering must never look for a display, even when a caller forgot -Djava.awt.headless=true.
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  /**
   * The curves of a run's {@code metrics.jsonl} against step as {@code loss.png} in {@code runDir}:
   * one line per metric key that the run logged, in order. {@code keysAndLabels} alternates a
   * metric key and its legend label. Returns the PNG, or null when none of the keys was logged.
   */
  public static Path runCurves(Path runDir, String title, String yLabel, String... keysAndLabels) {
    if (keysAndLabels.length % 2 != 0)
      throw new IllegalArgumentException("runCurves takes (metric key, label) pairs");
    Path metrics = runDir.resolve("metrics.jsonl");
    Map<String, double[][]> series = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndLabels.length; i += 2) {
      var points = dev.strata.train.MetricsLog.series(metrics, keysAndLabels[i]);
      if (!points.isEmpty())
        series.put(keysAndLabels[i + 1], dev.strata.train.MetricsLog.xy(points));
    }
    if (series.isEmpty()) return null;
    Path png = runDir.resolve("loss.png");
    try {
      Files.createDirectories(runDir);
      linePlot(png, title, "step", yLabel, series);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot write the plot " + png + ": " + e.getMessage(), e);
    }
    return png;
  }

  /**
   * Writes a line plot with a linear y axis to {@code png}. Each entry of {@code series} maps a
   * legend name to {@code {xs, ys}}, two arrays of equal length.
   */
  public static void linePlot(
      Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series)
      throws IOException {
    linePlot(png, title, xLabel, yLabel, series, YScale.LINEAR);
  }

  /**
   * Writes a line plot to {@code png}, creating its folder. Points whose y is NaN or infinite are
   * left out, so a run that diverged still plots up to where it did.
   *
   * @throws IllegalArgumentException if there are no series, a series is not {@code {xs, ys}} of
   *     equal length, has no finite point, or has a y ≤ 0 on a {@link YScale#LOG} axis
   */
  public static void linePlot(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      Map<String, double[][]> series,
      YScale yScale)
      throws IOException {
    if (series.isEmpty()) throw new IllegalArgumentException("plot '" + title + "' has no series");
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    if (yScale == YScale.LOG) {
      chart.getStyler().setYAxisLogarithmic(true);
      chart
          .getStyler()
          .setYAxisLogarithmicDecadeOnly(false); // losses often span less than a decade
    }
    series.forEach(
        (name, xy) -> {
          double[][] points = finitePoints(name, xy, yScale);
          XYSeries line = chart.addSeries(name, points[0], points[1]);
          line.setMarker(SeriesMarkers.NONE);
        });
    write(chart, png);
  }

  /**
   * A sweep plot: each series' points joined by lines with markers (sweeps have few points), the x
   * axis logarithmic when {@code logX} (state sizes, sequence lengths). Non-finite points are left
   * out, and a series with no finite point is left out of the plot (a model that was not run at any
   * length), so only a plot with nothing to show fails.
   *
   * @throws IllegalArgumentException if no series has a finite point, or an x ≤ 0 is on a log axis
   */
  public static void sweepPlot(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      Map<String, double[][]> series,
      boolean logX)
      throws IOException {
    sweepPlot(png, title, xLabel, yLabel, series, logX, Double.NaN, Double.NaN);
  }

  /**
   * {@link #sweepPlot(Path, String, String, String, Map, boolean)} with a fixed y range (NaN:
   * fitted to the data), e.g. 0–100 for accuracies in percent, so runs are comparable at a glance.
   */
  public static void sweepPlot(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      Map<String, double[][]> series,
      boolean logX,
      double yMin,
      double yMax)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(logX);
    if (!Double.isNaN(yMin)) chart.getStyler().setYAxisMin(yMin);
    if (!Double.isNaN(yMax)) chart.getStyler().setYAxisMax(yMax);
    int shown = 0;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      double[][] xy = e.getValue();
      if (xy == null
          || xy.length != 2
          || xy[0] == null
          || xy[1] == null
          || xy[0].length != xy[1].length) {
        throw new IllegalArgumentException(
            "series '" + e.getKey() + "' must be {xs, ys} with xs and ys of equal length");
      }
      boolean any = false;
      for (int i = 0; i < xy[0].length; i++) {
        any |= Double.isFinite(xy[0][i]) && Double.isFinite(xy[1][i]);
        if (logX && Double.isFinite(xy[1][i]) && xy[0][i] <= 0) {
          throw new IllegalArgumentException(
              "series '" + e.getKey() + "' has x = " + xy[0][i] + ", which a log axis cannot show");
        }
      }
      if (!any) continue;
      double[][] points = finitePoints(e.getKey(), xy, YScale.LINEAR);
      chart.addSeries(e.getKey(), points[0], points[1]);
      shown++;
    }
    if (shown == 0)
      throw new IllegalArgumentException("plot '" + title + "' has no finite point to show");
    write(chart, png);
  }

  /**
   * An accuracy-against-compute plot: each series' points joined by lines with markers on a log x
   * axis, accuracy in percent on a fixed 0–100 axis, and each entry of {@code marks} drawn as a
   * dashed vertical line at its x (e.g. the mean cost of an exact search), named in the legend.
   *
   * @throws IllegalArgumentException if a series is not {@code {xs, ys}} of equal length, an x or a
   *     mark is ≤ 0, or nothing has a finite point
   */
  public static void accuracyPlot(
      Path png,
      String title,
      String xLabel,
      Map<String, double[][]> series,
      Map<String, Double> marks)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle("accuracy (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setYAxisDecimalPattern("0");
    int shown = 0;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      double[][] points = finitePoints(e.getKey(), e.getValue(), YScale.LINEAR);
      for (double x : points[0]) {
        if (x <= 0)
          throw new IllegalArgumentException(
              "series '" + e.getKey() + "' has x = " + x + ", which a log axis cannot show");
      }
      chart.addSeries(e.getKey(), points[0], points[1]);
      shown++;
    }
    for (Map.Entry<String, Double> m : marks.entrySet()) {
      double x = m.getValue();
      if (!(x > 0))
        throw new IllegalArgumentException(
            "mark '" + m.getKey() + "' at x = " + x + " cannot be shown on a log axis");
      XYSeries line = chart.addSeries(m.getKey(), new double[] {x, x}, new double[] {0, 100});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineStyle(
          new java.awt.BasicStroke(
              1.5f,
              java.awt.BasicStroke.CAP_BUTT,
              java.awt.BasicStroke.JOIN_MITER,
              10f,
              new float[] {6f, 4f},
              0f));
      line.setLineColor(Color.DARK_GRAY);
    }
    if (shown == 0)
      throw new IllegalArgumentException("plot '" + title + "' has no finite point to show");
    write(chart, png);
  }

  /** A training-loss plot: loss against step on a log y axis, one line per run. */
  public static void lossPlot(Path png, String title, Map<String, double[][]> series)
      throws IOException {
    linePlot(png, title, "step", "loss (nats/token)", series, YScale.LOG);
  }

  private static double[][] finitePoints(String name, double[][] xy, YScale yScale) {
    if (xy == null
        || xy.length != 2
        || xy[0] == null
        || xy[1] == null
        || xy[0].length != xy[1].length) {
      throw new IllegalArgumentException(
          "series '" + name + "' must be {xs, ys} with xs and ys of equal length");
    }
    double[] xs = new double[xy[0].length];
    double[] ys = new double[xy[1].length];
    int n = 0;
    for (int i = 0; i < xs.length; i++) {
      double x = xy[0][i];
      double y = xy[1][i];
      if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
      if (yScale == YScale.LOG && y <= 0) {
        throw new IllegalArgumentException(
            "series '"
                + name
                + "' has y = "
                + y
                + " at x = "
                + x
                + ", which a log axis cannot show");
      }
      xs[n] = x;
      ys[n] = y;
      n++;
    }
    if (n == 0) throw new IllegalArgumentException("series '" + name + "' has no finite point");
    return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)};
  }

  /**
   * Renders to a temporary file beside {@code png}, then renames it, so readers never see half a
   * PNG.
   */
  private static void write(XYChart chart, Path png) throws IOException {
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, png.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
