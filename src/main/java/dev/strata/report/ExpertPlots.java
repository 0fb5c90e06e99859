package dev.strata.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of a self-improvement run (expert iteration, and the supervised baseline beside it):
 * held-out pass@1, pass@K and search accuracy per round and against cumulative training CPU
 * seconds, and the search's effort (energy evaluations per problem) per round.
 */
public final class ExpertPlots {
  private ExpertPlots() {}

  /**
   * One run's rounds (round 0 first), all arrays of equal length; accuracies as fractions.
   *
   * @param round round numbers
   * @param cpuSeconds cumulative training CPU seconds after each round
   */
  public record Run(
      double[] round,
      double[] cpuSeconds,
      double[] pass1,
      double[] passK,
      double[] searchSolved,
      double[] evaluations) {}

  /**
   * Writes {@code expert-rounds.png}, {@code expert-cpu.png} and {@code expert-effort.png} into
   * {@code dir}, one line per run and measure; returns the files.
   */
  public static List<Path> write(Path dir, String title, int k, Map<String, Run> runs) {
    Map<String, double[][]> byRound = new LinkedHashMap<>();
    Map<String, double[][]> byCpu = new LinkedHashMap<>();
    Map<String, double[][]> effort = new LinkedHashMap<>();
    runs.forEach(
        (name, r) -> {
          put(byRound, byCpu, name + ": pass@1", r, r.pass1());
          put(byRound, byCpu, name + ": pass@" + k, r, r.passK());
          put(byRound, byCpu, name + ": search", r, r.searchSolved());
          effort.put(name, new double[][] {r.round(), r.evaluations()});
        });
    Path rounds = dir.resolve("expert-rounds.png");
    Path cpu = dir.resolve("expert-cpu.png");
    Path evals = dir.resolve("expert-effort.png");
    try {
      Plots.sweepPlot(rounds, title, "round", "held-out accuracy (%)", byRound, false, 0, 100);
      Plots.sweepPlot(
          cpu,
          title,
          "training CPU seconds (cumulative)",
          "held-out accuracy (%)",
          byCpu,
          false,
          0,
          100);
      Plots.sweepPlot(
          evals, title, "round", "energy evaluations per held-out problem", effort, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plots in " + dir + ": " + e.getMessage(), e);
    }
    return List.of(rounds, cpu, evals);
  }

  private static void put(
      Map<String, double[][]> byRound,
      Map<String, double[][]> byCpu,
      String name,
      Run r,
      double[] fraction) {
    double[] percent = new double[fraction.length];
    for (int i = 0; i < percent.length; i++) percent[i] = 100 * fraction[i];
    byRound.put(name, new double[][] {r.round(), percent});
    byCpu.put(name, new double[][] {r.cpuSeconds(), percent});
  }
}
