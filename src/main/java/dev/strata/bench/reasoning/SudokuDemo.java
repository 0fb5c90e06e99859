package dev.strata.bench.reasoning;

import dev.strata.energy.LearnedConflicts;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.RandomSource;
import dev.strata.report.Plots;
import dev.strata.search.Budget;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.LearnedPairPropagator;
import dev.strata.search.MinConflictRepair;
import dev.strata.search.Outcome;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuMoves;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.train.Recipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reasoning part of {@code strata demo}, small enough for a few minutes on two cores: an AR
 * proposer and a pairwise energy trained briefly on generated puzzles, then a few unseen puzzles
 * solved four ways — AR alone (greedy), AR + rule energy + complete search, AR + learned energy +
 * complete search (no rule consulted), and min-conflict repair of the AR answer under the rule
 * energy, whose energy trace is plotted. A short training leaves the AR proposer weak; that is the
 * point: the layers above it make the system exact anyway.
 *
 * @param proposerSeconds AR training budget
 * @param energySteps pairwise-energy training steps
 * @param poolSize generated training puzzles (both models)
 * @param puzzles the unseen puzzles to solve
 * @param out run directory (proposer/, energy/, energy-trace.png)
 */
public record SudokuDemo(
    double proposerSeconds,
    long energySteps,
    int poolSize,
    List<SudokuGrid> puzzles,
    Path out,
    long seed) {

  /** One puzzle's results; energies are rule violations (0 = solved), times in milliseconds. */
  public record Row(
      String puzzle,
      int arViolations,
      boolean rules,
      double rulesMs,
      boolean learned,
      double learnedMs,
      int repairStart,
      boolean repaired,
      int repairEvaluations) {}

  public record Result(
      ArTraining.Outcome proposer,
      SudokuEbmTraining.Outcome energy,
      List<Row> rows,
      Path tracePlot) {}

  public Result run(Consumer<String> log) {
    log.accept("generating " + poolSize + " training puzzles…");
    List<SudokuGenerator.Generated> pool = SudokuTraining.pool(poolSize, 28, 40, seed, null);
    List<SudokuGenerator.Generated> val =
        SudokuTraining.pool(
            Math.max(8, Math.min(32, poolSize / 8)), 28, 40, seed + 1_000_003, null);
    log.accept(String.format("training the AR proposer for %.0f s…", proposerSeconds));
    var arOptions =
        new ArTraining.Options(
            SudokuTraining.TASK,
            SudokuTraining.cpuModel(),
            new Recipe(
                proposerSeconds,
                0,
                32,
                1e-3,
                1e-3 / 10,
                50,
                0.1,
                1.0,
                seed,
                100,
                out.resolve("proposer"),
                false),
            128);
    ArTraining.Outcome proposer =
        ArTraining.run(
            arOptions,
            SudokuTraining.examples(pool, seed, true),
            SudokuTraining.examples(val, seed, false),
            false);
    log.accept(String.format("training the pairwise energy for %d steps…", energySteps));
    var energyOptions =
        new SudokuEbmTraining.Options(
            SudokuEbmTraining.PAIRWISE,
            pool.size(),
            0,
            4,
            8,
            SudokuEbmTraining.Options.recipe(
                0, energySteps, 16, 1e-2, seed, out.resolve("energy"), false));
    SudokuEbmTraining.Outcome energy =
        SudokuEbmTraining.run(energyOptions, null, pool, val, m -> {});
    SudokuEbmTraining.Loaded learned = SudokuEbmTraining.load(out.resolve("energy"));

    var model = ArTraining.load(proposer.checkpoint(), SudokuTraining.TASK);
    var ar = new ArProposer<>(model.model(), new SudokuCodec(), ArProposer.Decoding.greedy(false));
    var guide = ar.with(ArProposer.Decoding.greedy(false).withBatch(1));
    SudokuRules rules = new SudokuRules();
    float tau = (float) learned.calibration().pairThreshold();
    var learnedSearch =
        new GuidedDepthFirst<>(
            new LearnedPairPropagator<>(learned.tables(), tau, SudokuEbmTraining.SITES), seed);
    var conflicts = new LearnedConflicts<>(learned.tables(), tau, SudokuEbmTraining.SITES);
    var layered = new LayeredSudokuSolver(0, 4, Duration.ofSeconds(10), seed);
    var repair = new MinConflictRepair<SudokuGrid, SudokuGrid>(new SudokuMoves(), 0.1, 60, seed);
    List<SudokuGrid> greedy =
        ar.sample(puzzles, null, new RandomSource(seed)).stream()
            .map(ArProposer.Sample::candidate)
            .toList();
    List<Row> rows = new ArrayList<>();
    Map<String, double[][]> traces = new LinkedHashMap<>();
    for (int i = 0; i < puzzles.size(); i++) {
      SudokuGrid p = puzzles.get(i);
      int arViolations = (int) rules.energy(p, greedy.get(i));
      long t0 = System.nanoTime();
      Outcome<SudokuGrid> byRules = layered.solve(p, guide).outcome();
      double rulesMs = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      Outcome<SudokuGrid> byLearned =
          learnedSearch.run(
              p, guide, conflicts, new Budget(4, Long.MAX_VALUE, Duration.ofSeconds(10), 0));
      double learnedMs = (System.nanoTime() - t0) / 1e6;
      SudokuGrid start = greedy.get(i);
      // restarts (after 60 moves without progress) begin again from the same AR answer
      Outcome<SudokuGrid> repaired =
          repair.run(
              p, startingFrom(start), rules, new Budget(1_000, 20_000, Duration.ofSeconds(10), 0));
      rows.add(
          new Row(
              p.toString(),
              arViolations,
              byRules.accepted() && SudokuRules.solves(p, byRules.best()),
              rulesMs,
              byLearned.accepted() && SudokuRules.solves(p, byLearned.best()),
              learnedMs,
              arViolations,
              repaired.accepted(),
              (int) repaired.energyEvaluations()));
      float[] trace = repaired.trace();
      double[] x = new double[trace.length];
      double[] y = new double[trace.length];
      for (int k = 0; k < trace.length; k++) {
        x[k] = k;
        y[k] = trace[k];
      }
      traces.put("puzzle " + (i + 1), new double[][] {x, y});
    }
    Path png = out.resolve("energy-trace.png");
    try {
      Plots.linePlot(
          png,
          "Min-conflict repair of the AR answer: rule energy per iteration",
          "iteration",
          "violated constraints (best so far)",
          traces);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
    return new Result(proposer, energy, rows, png);
  }

  /**
   * A proposer that always offers the same grid: repair starts from the AR answer and never
   * restarts elsewhere.
   */
  private static dev.strata.propose.Proposer<SudokuGrid, SudokuGrid> startingFrom(SudokuGrid grid) {
    return new dev.strata.propose.Proposer<>() {
      public List<SudokuGrid> propose(SudokuGrid problem, int n, RandomSource rng) {
        return java.util.Collections.nCopies(n, grid);
      }

      public List<SudokuGrid> complete(
          SudokuGrid problem, SudokuGrid partial, int n, RandomSource rng) {
        return propose(problem, n, rng);
      }
    };
  }
}
