package dev.strata.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  private static Map<String, double[][]> twoLossCurves() {
    double[] steps = new double[50];
    double[] a = new double[50];
    double[] b = new double[50];
    for (int i = 0; i < 50; i++) {
      steps[i] = i * 10;
      a[i] = 1.5 + 2.7 * Math.exp(-i / 8.0);
      b[i] = 1.6 + 2.6 * Math.exp(-i / 12.0);
    }
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("transformer", new double[][] {steps, a});
    series.put("mamba2", new double[][] {steps, b});
    return series;
  }

  private static void assertValidPng(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(PNG_MAGIC.length);
    assertThat(Arrays.copyOf(bytes, PNG_MAGIC.length)).isEqualTo(PNG_MAGIC);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Plots.HEIGHT);
  }

  @Test
  void linePlotWritesAPngOfTheStatedSize() throws IOException {
    Path png = dir.resolve("nested/folder/curves.png");
    Plots.linePlot(png, "val loss", "step", "loss", twoLossCurves());
    assertValidPng(png);
    try (var files = Files.list(png.getParent())) {
      assertThat(files).containsExactly(png); // no temporary file left behind
    }
  }

  @Test
  void lossPlotUsesALogAxisAndSkipsNonFinitePoints() throws IOException {
    Map<String, double[][]> series = twoLossCurves();
    series.put("diverged", new double[][] {{0, 10, 20}, {4.2, 3.0, Double.NaN}});
    Path png = dir.resolve("loss.png");
    Plots.lossPlot(png, "training loss", series);
    assertValidPng(png);
  }

  @Test
  void runCurvesPlotsTheLoggedKeysOfAMetricsFileAndNothingWithoutThem() throws IOException {
    Files.writeString(
        dir.resolve("metrics.jsonl"),
        """
        {"step":1,"loss":3.0}
        {"step":2,"loss":2.5,"val_loss":2.7}
        {"step":3,"loss":2.1}
        """);
    Path png =
        Plots.runCurves(
            dir, "run", "nats", "loss", "train", "val_loss", "validation", "val_nelbo", "NELBO");
    assertThat(png).isEqualTo(dir.resolve("loss.png"));
    assertValidPng(png);
    assertThat(Plots.runCurves(dir, "run", "nats", "val_nelbo", "NELBO")).isNull();
    assertThatThrownBy(() -> Plots.runCurves(dir, "run", "nats", "loss"))
        .hasMessageContaining("pairs");
  }

  @Test
  void rejectsSeriesOfUnequalLength() {
    Map<String, double[][]> bad = Map.of("x", new double[][] {{1, 2, 3}, {1, 2}});
    assertThatThrownBy(() -> Plots.linePlot(dir.resolve("bad.png"), "t", "x", "y", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("series 'x'");
    assertThat(dir.resolve("bad.png")).doesNotExist();
  }

  @Test
  void rejectsNonPositiveValuesOnALogAxis() {
    Map<String, double[][]> bad = Map.of("zero", new double[][] {{1, 2}, {1, 0}});
    assertThatThrownBy(() -> Plots.lossPlot(dir.resolve("bad.png"), "t", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log axis");
  }

  @Test
  void rejectsAPlotWithoutSeries() {
    assertThatThrownBy(() -> Plots.linePlot(dir.resolve("empty.png"), "t", "x", "y", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sweepPlotDrawsLogXWithAFixedRangeAndSkipsSeriesWithNothingToShow() throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("attention", new double[][] {{8192, 16384}, {100, 99}});
    series.put("mamba2", new double[][] {{1024, 2048, 4096}, {20, 45, 80}});
    series.put("not run", new double[][] {{512}, {Double.NaN}});
    Path png = dir.resolve("sweep.png");
    Plots.sweepPlot(png, "MQAR", "state size", "accuracy (%)", series, true, 0, 100);
    assertValidPng(png);
    Map<String, double[][]> empty = Map.of("not run", new double[][] {{512}, {Double.NaN}});
    assertThatThrownBy(() -> Plots.sweepPlot(dir.resolve("none.png"), "t", "x", "y", empty, true))
        .hasMessageContaining("no finite point");
    Map<String, double[][]> zero = Map.of("bad", new double[][] {{0, 1}, {1, 2}});
    assertThatThrownBy(() -> Plots.sweepPlot(dir.resolve("zero.png"), "t", "x", "y", zero, true))
        .hasMessageContaining("log axis");
  }

  @Test
  void accuracyPlotDrawsCurvesOnALogAxisWithVerticalMarks() throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("uniform + rule + best-of-n", new double[][] {{1, 4, 16, 64}, {0, 10, 40, 90}});
    series.put("ar + rule + best-of-n", new double[][] {{1, 4, 16, 64}, {20, 60, 95, 100}});
    Path png = dir.resolve("anytime.png");
    Plots.accuracyPlot(png, "accuracy vs compute", "evaluations", series, Map.of("exact", 12.5));
    assertValidPng(png);
    assertThatThrownBy(
            () ->
                Plots.accuracyPlot(
                    dir.resolve("bad.png"), "t", "x", series, Map.of("at zero", 0.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log axis");
    Map<String, double[][]> zero = Map.of("a", new double[][] {{0, 1}, {1, 2}});
    assertThatThrownBy(() -> Plots.accuracyPlot(dir.resolve("bad.png"), "t", "x", zero, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x = 0.0");
  }
}
