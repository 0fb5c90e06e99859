package dev.strata.bench.reasoning;

import dev.strata.energy.LearnedEnergy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.DiffusionProposerTraining;
import dev.strata.report.Plots;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuData;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Formatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reasoning benchmark of {@code strata bench reasoning}: a task's proposer (AR or masked
 * diffusion) alone vs the layered system (energies + search) on the shared test sets, evaluation
 * only. It returns the tables as text and the JSON result; the caller prints and writes them.
 */
public final class ReasoningBench {
  /**
   * What to bench and how.
   *
   * @param task the task
   * @param proposer the proposer kind
   * @param checkpoint the trained proposer; null: its default run directory ({@link
   *     TrainingTask#defaultRunDir})
   * @param denoisingSteps diffusion: denoising steps of a whole answer (0: the answer length)
   * @param remaskWidth diffusion: refills per round of remask repair
   * @param data folder of the shared data sets
   * @param limit puzzles (problems) of the test file
   * @param seventeen sudoku: puzzles sampled from sudoku17.txt (0: skip)
   * @param samples N of best-of-N
   * @param guides proposer completions the complete search may ask for per puzzle
   * @param seconds search time budget per puzzle
   * @param seed seed of sampling and of the sampled sets
   * @param hard sudoku: puzzles of the forum-hardest list (with all of top1465) for the search
   *     alone (0: skip)
   * @param energy a trained energy for the learned-energy rows (null: none)
   * @param energyEvaluations countdown: leaves the learned-energy search may score per problem
   * @param energyLimit sudoku: puzzles of each set for the learned-energy and value-beam rows
   * @param repairEvaluations sudoku: learned-energy evaluations of min-conflict repair (0: skip)
   * @param valueBeam sudoku: beam width of the value-guided beam rows (0: skip)
   * @param beta weight of the prefix value in the beam score
   */
  public record Options(
      ReasoningTask task,
      ProposerKind proposer,
      Path checkpoint,
      int denoisingSteps,
      int remaskWidth,
      Path data,
      int limit,
      int seventeen,
      int samples,
      int guides,
      double seconds,
      long seed,
      int hard,
      Path energy,
      long energyEvaluations,
      int energyLimit,
      int repairEvaluations,
      int valueBeam,
      double beta) {

    /**
     * Where the JSON result goes unless told: {@code runs/bench/reasoning-<task>[-diffusion].json}.
     */
    public Path defaultJson() {
      return Path.of(
          "runs",
          "bench",
          "reasoning-" + task + (proposer == ProposerKind.DIFFUSION ? "-diffusion" : "") + ".json");
    }
  }

  /**
   * What a bench produced.
   *
   * @param text the tables, as printed
   * @param json the JSON result's root
   * @param sudokuSets sudoku: the sets, whose curves {@link #plot} draws (empty for other tasks)
   */
  public record Result(
      String text, Map<String, Object> json, List<SudokuBench.SetResult> sudokuSets) {}

  private final ReasoningTask task;
  private final ProposerKind proposer;
  private final Path checkpoint;
  private final int denoisingSteps;
  private final int remaskWidth;
  private final Path data;
  private final int limit;
  private final int seventeen;
  private final int samples;
  private final int guides;
  private final double seconds;
  private final long seed;
  private final int hard;
  private final Path energy;
  private final long energyEvaluations;
  private final int energyLimit;
  private final int repairEvaluations;
  private final int valueBeam;
  private final double beta;
  private final Consumer<String> log;
  private final Formatter text = new Formatter(new StringBuilder());

  private ReasoningBench(Options o, Consumer<String> log) {
    this.task = o.task();
    this.proposer = o.proposer();
    this.checkpoint = o.checkpoint();
    this.denoisingSteps = o.denoisingSteps();
    this.remaskWidth = o.remaskWidth();
    this.data = o.data();
    this.limit = o.limit();
    this.seventeen = o.seventeen();
    this.samples = o.samples();
    this.guides = o.guides();
    this.seconds = o.seconds();
    this.seed = o.seed();
    this.hard = o.hard();
    this.energy = o.energy();
    this.energyEvaluations = o.energyEvaluations();
    this.energyLimit = o.energyLimit();
    this.repairEvaluations = o.repairEvaluations();
    this.valueBeam = o.valueBeam();
    this.beta = o.beta();
    this.log = log;
  }

  /** Runs the bench of {@code o.task()}; progress goes to {@code log}. */
  public static Result run(Options o, Consumer<String> log) {
    return new ReasoningBench(o, log).run();
  }

  private Result run() {
    if (limit <= 0 || seventeen < 0 || samples < 0 || !(seconds > 0)) {
      throw new IllegalArgumentException(
          "--limit must be positive; --seventeen, --samples ≥ 0; --seconds positive");
    }
    boolean diffusion = proposer == ProposerKind.DIFFUSION;
    TrainingTask training = TrainingTask.proposer(task, proposer);
    if (training == null)
      throw new IllegalArgumentException("--proposer diffusion supports sudoku and countdown");
    if (diffusion && valueBeam > 0) {
      throw new IllegalArgumentException(
          "the value-beam rows need the AR proposer's prefixes (--proposer ar)");
    }
    if (diffusion && energy != null && task != ReasoningTask.SUDOKU) {
      throw new IllegalArgumentException(
          "--energy with --proposer diffusion supports only sudoku; "
              + task
              + "'s learned-energy rows need the AR proposer (--proposer ar)");
    }
    if (denoisingSteps < 0 || remaskWidth <= 0)
      throw new IllegalArgumentException("--denoising-steps must be ≥ 0, --remask-width positive");
    Path ckpt = checkpoint != null ? checkpoint : training.defaultRunDir();
    if (!Files.exists(ckpt)) {
      throw new IllegalArgumentException(
          "no trained proposer at "
              + ckpt
              + " (run: strata train reasoning --task "
              + training
              + ")");
    }
    if (task == ReasoningTask.PATHSTAR) return benchPathStar(ckpt);
    if (task == ReasoningTask.COUNTDOWN) return benchCountdown(ckpt, diffusion);
    Duration searchTime = Duration.ofMillis((long) (seconds * 1000));
    Map<String, Object> info;
    SudokuBench bench = null;
    SudokuDiffusionBench diffusionBench = null;
    if (diffusion) {
      var d = DiffusionProposerTraining.load(ckpt, SudokuTraining.TASK);
      diffusionBench =
          SudokuDiffusionBench.of(
              d.model(),
              denoisingSteps > 0 ? denoisingSteps : 81,
              samples,
              guides,
              remaskWidth,
              searchTime,
              seed,
              log);
      info = diffusionInfo(d);
    } else {
      ArTraining.Loaded m = ArTraining.load(ckpt, SudokuTraining.TASK);
      bench =
          new SudokuBench(
              new ArProposer<>(m.model(), new SudokuCodec(), ArProposer.Decoding.greedy(false)),
              samples,
              guides,
              searchTime,
              seed,
              log);
      info = arInfo(m);
    }
    SudokuBench arBench = bench;
    SudokuDiffusionBench dBench = diffusionBench;
    SetRunner runSet =
        (set, puzzles, withSampling) ->
            dBench != null
                ? dBench.run(set, puzzles, withSampling)
                : arBench.run(set, puzzles, withSampling);
    LearnedRunner runLearned =
        (set, puzzles, loaded, curves) ->
            dBench != null
                ? dBench.runLearned(set, puzzles, loaded, repairEvaluations, curves)
                : arBench.runLearned(set, puzzles, loaded, repairEvaluations, curves);

    List<SudokuGrid> test = new ArrayList<>();
    for (var e : SudokuData.loadCsv(data.resolve("sudoku-diffusion-vs-ar/sudoku_test.csv")))
      test.add(e.puzzle());
    test = test.subList(0, Math.min(limit, test.size()));
    List<SudokuBench.SetResult> sets = new ArrayList<>();
    var learned = energy == null ? null : dev.strata.bench.reasoning.SudokuEbmTraining.load(energy);
    dev.strata.search.PrefixValueHead head = valueBeam > 0 ? fitValue(bench) : null;
    sets.add(
        withBeam(
            bench,
            withLearned(runLearned, runSet.run("sudoku_test.csv", test, true), test, learned),
            test,
            head));
    if (seventeen > 0) {
      List<SudokuGrid> all17 = SudokuData.loadPuzzles(data.resolve("sudoku17/sudoku17.txt"));
      List<SudokuGrid> sample17 = SudokuData.sample(all17, seventeen, seed);
      sets.add(
          withBeam(
              bench,
              withLearned(
                  runLearned,
                  runSet.run(
                      "sudoku17 (" + seventeen + " sampled, seed " + seed + ")", sample17, false),
                  sample17,
                  learned),
              sample17,
              head));
    }

    if (hard > 0) {
      Path dir = data.resolve("sudoku-tdoku-hard");
      List<SudokuGrid> top = SudokuData.loadPuzzles(dir.resolve("puzzles3_magictour_top1465.txt"));
      List<SudokuGrid> forum =
          SudokuData.sample(
              SudokuData.loadPuzzles(dir.resolve("puzzles5_forum_hardest_1905_11+.txt")),
              hard,
              seed);
      for (var named :
          List.of(
              Map.entry("tdoku magictour top1465", top),
              Map.entry("tdoku forum hardest (" + hard + " sampled, seed " + seed + ")", forum))) {
        var r =
            SudokuBench.searchOnly(
                named.getValue(), Duration.ofMillis((long) (seconds * 1000)), seed);
        sets.add(
            new SudokuBench.SetResult(
                named.getKey(), named.getValue().size(), List.of(r), List.of(), Map.of()));
        log.accept(named.getKey() + ": " + r.solved() + "/" + r.puzzles());
      }
    }
    text.format(
        "%nproposer: %s, %,d params, step %d (%s)%n",
        info.get("pattern"), info.get("params"), info.get("step"), ckpt);
    for (SudokuBench.SetResult s : sets) {
      text.format("%n%s, %d puzzles%n", s.set(), s.puzzles());
      text.format(
          "%-52s %11s %9s %12s %10s %12s%n",
          "method", "solved", "accuracy", "CPU s/solved", "proposals", "energy evals");
      for (SudokuBench.MethodResult r : s.methods()) {
        text.format(
            "%-52s %11s %8.1f%% %12.4f %10.2f %12.2f%n",
            r.method(),
            r.solved() + "/" + r.puzzles(),
            100 * r.accuracy(),
            r.cpuSecondsPerSolved(),
            r.meanProposals(),
            r.meanEnergyEvaluations());
      }
      if (!s.layeredStages().isEmpty()) text.format("%s%n", "layered: " + s.layeredStages());
    }
    return new Result(text.toString(), sudokuJson(info, ckpt, sets), sets);
  }

  /** The CD4 test split (500 rows), first {@code --limit}. */
  private Result benchCountdown(Path ckpt, boolean diffusion) {
    // the models first: a wrong checkpoint is reported before the test file is read
    var d = diffusion ? DiffusionProposerTraining.load(ckpt, "countdown") : null;
    ArTraining.Loaded m = diffusion ? null : ArTraining.load(ckpt, "countdown");
    var learned =
        energy == null
            ? null
            : dev.strata.energy.ResidualEnergyTraining.load(
                energy, dev.strata.bench.reasoning.CountdownEbm.TASK);
    var all =
        dev.strata.tasks.countdown.CountdownData.load(data.resolve("countdown-cd4/cd4_test.jsonl"));
    var problems =
        all.subList(0, Math.min(limit, all.size())).stream()
            .map(dev.strata.tasks.countdown.CountdownData.Example::problem)
            .toList();
    List<dev.strata.bench.reasoning.CountdownBench.MethodResult> results = new ArrayList<>();
    Map<String, Object> info;
    if (diffusion) {
      info = diffusionInfo(d);
      results.addAll(
          dev.strata.bench.reasoning.CountdownDiffusionBench.of(
                  d.model(),
                  denoisingSteps > 0
                      ? denoisingSteps
                      : dev.strata.tasks.countdown.CountdownCodec.ANSWER_LENGTH,
                  samples,
                  guides,
                  remaskWidth,
                  seed,
                  log)
              .run(problems));
    } else {
      info = arInfo(m);
      var ar =
          new ArProposer<>(
              m.model(),
              new dev.strata.tasks.countdown.CountdownCodec(),
              ArProposer.Decoding.greedy(false));
      var countdown = new dev.strata.tasks.countdown.CountdownCodec();
      var bench = new dev.strata.bench.reasoning.CountdownBench(ar, samples, guides, seed, log);
      results.addAll(bench.run(problems));
      if (learned != null) {
        results.addAll(
            bench.runLearned(
                problems,
                learned.energy(LearnedEnergy.Encoder.of(countdown::prompt, countdown::answer)),
                learned.calibration().acceptBelow(),
                energyEvaluations));
      }
    }
    text.format(
        "%nproposer: %s, %,d params, step %d (%s)%ncd4_test.jsonl, %d problems%n",
        info.get("pattern"), info.get("params"), info.get("step"), ckpt, problems.size());
    text.format(
        "%-40s %9s %9s %12s %11s %11s%n",
        "method", "solved", "accuracy", "CPU s/solved", "proposals", "energy evals");
    for (var r : results) {
      text.format(
          "%-40s %9d %8.1f%% %12.4f %11.2f %11.2f%n",
          r.method(),
          r.solved(),
          100 * r.accuracy(),
          r.cpuSecondsPerSolved(),
          r.meanProposals(),
          r.meanEnergyEvaluations());
    }
    Map<String, Object> root = header(ckpt, info);
    root.put("set", "cd4_test.jsonl");
    root.put("samples", samples);
    root.put("guides", guides);
    root.put("seed", seed);
    if (learned != null) {
      root.put("energy", energy.toString());
      root.put("energy_evaluations", energyEvaluations);
      root.put("calibration", learned.calibration());
    }
    root.put("methods", results);
    return new Result(text.toString(), root, List.of());
  }

  /** The published D=2 L=5 and D=5 L=3 test files, first {@code --limit} lines of each. */
  private Result benchPathStar(Path ckpt) {
    ArTraining.Loaded m = ArTraining.load(ckpt, "pathstar");
    int nodes = m.spec().lm().vocab() - 2;
    var ar =
        new ArProposer<>(
            m.model(),
            new dev.strata.tasks.pathstar.PathStarCodec(nodes),
            ArProposer.Decoding.greedy(false));
    var bench = new dev.strata.bench.reasoning.PathStarBench(ar, seed, log);
    var learned =
        energy == null
            ? null
            : dev.strata.energy.ResidualEnergyTraining.load(
                energy, dev.strata.bench.reasoning.PathStarEbm.TASK);
    List<dev.strata.bench.reasoning.PathStarBench.SetResult> sets = new ArrayList<>();
    for (String f :
        List.of("deg_2_path_5_nodes_50_test_20000.txt", "deg_5_path_3_nodes_50_test_20000.txt")) {
      var all =
          dev.strata.tasks.pathstar.PathStarData.load(
              data.resolve("path-star-bachmann").resolve(f));
      var sub = all.subList(0, Math.min(limit, all.size()));
      var r = bench.run(f, sub);
      if (learned != null) {
        var methods = new ArrayList<>(r.methods());
        methods.addAll(
            bench.runLearned(
                f,
                sub.stream().map(dev.strata.tasks.pathstar.PathStar.Example::problem).toList(),
                learned.energy(
                    LearnedEnergy.Encoder.of(
                        new dev.strata.tasks.pathstar.PathStarCodec(nodes)::prompt,
                        new dev.strata.tasks.pathstar.PathStarCodec(nodes)::answer)),
                samples));
        r =
            new dev.strata.bench.reasoning.PathStarBench.SetResult(
                r.set(), r.degree(), r.pathLength(), r.problems(), r.chance(), methods);
      }
      sets.add(r);
    }
    text.format(
        "%nproposer: %s, %,d params, step %d (%s)%n",
        m.spec().lm().pattern(), m.model().parameterCount(), m.step(), ckpt);
    for (var s : sets) {
      text.format(
          "%n%s: D=%d, L=%d, %d problems, chance %.1f%%%n",
          s.set(), s.degree(), s.pathLength(), s.problems(), 100 * s.chance());
      text.format(
          "%-36s %9s %9s %12s %11s %11s%n",
          "method", "solved", "accuracy", "CPU s/solved", "proposals", "energy evals");
      for (var r : s.methods()) {
        text.format(
            "%-36s %9d %8.1f%% %12.4f %11.2f %11.2f%n",
            r.method(),
            r.solved(),
            100 * r.accuracy(),
            r.cpuSecondsPerSolved(),
            r.meanProposals(),
            r.meanEnergyEvaluations());
      }
    }
    Map<String, Object> root = header(ckpt, arInfo(m));
    root.put("seed", seed);
    if (learned != null) {
      root.put("energy", energy.toString());
      root.put("samples", samples);
      root.put("calibration", learned.calibration());
    }
    root.put("sets", sets);
    return new Result(text.toString(), root, List.of());
  }

  /**
   * The prefix value of the Sudoku proposer, fitted on 256 generated puzzles (8 samples each)
   * against the rule energy.
   */
  private dev.strata.search.PrefixValueHead fitValue(SudokuBench bench) {
    var ar = bench.proposer();
    var pool = SudokuTraining.pool(256, 26, 40, seed + 77, Path.of("runs", "data", "sudoku"));
    var fit =
        dev.strata.search.PrefixValueHead.fit(
            ar.with(ArProposer.Decoding.sampling(1.0, false)),
            pool.stream().map(g -> g.puzzle()).toList(),
            8,
            new dev.strata.tasks.sudoku.SudokuRules(),
            1e-3,
            new dev.strata.propose.RandomSource(seed + 78));
    log.accept(
        String.format(
            "prefix value fitted on %,d (prefix, token) pairs of 2,048 samples: R² %.3f, mean final energy %.2f",
            fit.pairs(), fit.r2(), fit.meanEnergy()));
    return fit.head();
  }

  /** Adds the value-guided beam rows when a head was fitted. */
  private SudokuBench.SetResult withBeam(
      SudokuBench bench,
      SudokuBench.SetResult r,
      List<SudokuGrid> puzzles,
      dev.strata.search.PrefixValueHead head) {
    if (head == null) return r;
    List<SudokuGrid> sub = puzzles.subList(0, Math.min(energyLimit, puzzles.size()));
    List<SudokuBench.MethodResult> methods = new ArrayList<>(r.methods());
    methods.addAll(bench.runValueBeam(r.set(), sub, head, valueBeam, beta));
    return new SudokuBench.SetResult(r.set(), r.puzzles(), methods, r.curves(), r.layeredStages());
  }

  /**
   * Adds the learned-energy rows (on the first --energy-limit puzzles) when an energy net is given.
   */
  private SudokuBench.SetResult withLearned(
      LearnedRunner runLearned,
      SudokuBench.SetResult r,
      List<SudokuGrid> puzzles,
      dev.strata.bench.reasoning.SudokuEbmTraining.Loaded learned) {
    if (learned == null) return r;
    List<SudokuGrid> sub = puzzles.subList(0, Math.min(energyLimit, puzzles.size()));
    List<SudokuBench.MethodResult> methods = new ArrayList<>(r.methods());
    List<SudokuBench.Curve> curves = new ArrayList<>(r.curves());
    methods.addAll(runLearned.run(r.set(), sub, learned, curves));
    return new SudokuBench.SetResult(r.set(), r.puzzles(), methods, curves, r.layeredStages());
  }

  /** One set of the Sudoku bench, whichever proposer. */
  private interface SetRunner {
    SudokuBench.SetResult run(String set, List<SudokuGrid> puzzles, boolean withSampling);
  }

  /**
   * The learned-energy rows of one set, whichever proposer; adds their curves to {@code curves}.
   */
  private interface LearnedRunner {
    List<SudokuBench.MethodResult> run(
        String set,
        List<SudokuGrid> puzzles,
        dev.strata.bench.reasoning.SudokuEbmTraining.Loaded learned,
        List<SudokuBench.Curve> curves);
  }

  private Map<String, Object> sudokuJson(
      Map<String, Object> info, Path ckpt, List<SudokuBench.SetResult> sets) {
    Map<String, Object> root = header(ckpt, info);
    root.put("samples", samples);
    root.put("guides", guides);
    root.put("energy", energy == null ? null : energy.toString());
    root.put("energy_limit", energyLimit);
    root.put("search_seconds_per_puzzle", seconds);
    root.put("seed", seed);
    root.put("sets", sets);
    return root;
  }

  /** The fields every task's JSON result starts with: task, checkpoint and the proposer's shape. */
  private Map<String, Object> header(Path ckpt, Map<String, Object> proposerInfo) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("task", task.toString());
    root.put("checkpoint", ckpt.toString());
    root.put("proposer", proposerInfo);
    return root;
  }

  /** The AR proposer's shape, as the JSON results name it. */
  private static Map<String, Object> arInfo(ArTraining.Loaded m) {
    return Map.of(
        "pattern",
        m.spec().lm().pattern(),
        "width",
        m.spec().lm().dModel(),
        "params",
        m.model().parameterCount(),
        "step",
        m.step());
  }

  /** A diffusion proposer's shape and decoding. */
  private Map<String, Object> diffusionInfo(DiffusionProposerTraining.Loaded d) {
    var c = d.spec().diffusion();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "masked-diffusion");
    m.put("pattern", "bidirectional " + "A".repeat(c.depth()));
    m.put("width", c.dModel());
    m.put("params", d.model().parameterCount());
    m.put("step", d.step());
    m.put("token_reweighting_gamma", d.spec().focalGamma());
    m.put("denoising_steps", denoisingSteps);
    m.put("remask_width", remaskWidth);
    return m;
  }

  /** The Sudoku sets' accuracy-vs-proposals curves in one PNG. */
  public static void plot(Path png, List<SudokuBench.SetResult> sets) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    for (SudokuBench.SetResult s : sets) {
      String prefix = sets.size() > 1 ? s.set().split(" ")[0] + ": " : "";
      for (SudokuBench.Curve c : s.curves()) {
        double[] y = new double[c.accuracy().length];
        for (int i = 0; i < y.length; i++) y[i] = 100 * c.accuracy()[i];
        series.put(prefix + c.method(), new double[][] {c.proposals(), y});
      }
    }
    try {
      Plots.linePlot(
          png,
          "Sudoku: accuracy vs proposals drawn per puzzle",
          "proposals per puzzle",
          "accuracy (%)",
          series);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
