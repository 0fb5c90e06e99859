package dev.strata.cli;

import dev.strata.bench.text.LmTraining;
import dev.strata.nn.Engine;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmArch;
import dev.strata.report.Report;
import dev.strata.report.TrainingPlots;
import dev.strata.world.LatentPlanner;
import dev.strata.world.TwoRoomConfig;
import dev.strata.world.WorldEval;
import dev.strata.world.WorldEvaluation;
import dev.strata.world.WorldModelConfig;
import dev.strata.world.WorldTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata demo}: the main job, in two parts. The substrate: a character-level transformer
 * trained on tinyshakespeare for about two minutes, samples from it and a loss plot. The world
 * model: a Two-Room dataset, LeWM trained for about two minutes, and CEM planning in its latent
 * space on a few held-out episodes (the {@code world eval} protocol), with the planned-vs-executed
 * paths. One report for both in {@code runs/demo/report.md}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Train a small character LM on tinyshakespeare (~2 min), then a LeWM world model on Two-Room (~2 min) "
            + "that plans to held-out goals, then a Sudoku proposer and energy (~1.5 min) solving unseen puzzles alone and "
            + "layered; samples, plots and report in runs/demo/.")
final class DemoCommand implements Runnable {
  /**
   * The dataset of {@code world collect}'s defaults: 10,000 episodes, the last 1,000 held out, seed
   * 0.
   */
  private static final int WORLD_EPISODES = 10_000, WORLD_HELD_OUT = 1_000;

  @Option(
      names = "--data",
      description =
          "text file (default: data/tinyshakespeare.txt, else ../shared/data/tinyshakespeare/input.txt)")
  Path data;

  @Option(
      names = {"--lm-minutes", "--minutes"},
      defaultValue = "2",
      description = "LM training budget (default: ${DEFAULT-VALUE})")
  double lmMinutes;

  @Option(
      names = "--arch",
      defaultValue = "transformer",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  LmArch arch;

  @Option(
      names = "--world-minutes",
      defaultValue = "2",
      description = "world-model training budget (default: ${DEFAULT-VALUE})")
  double worldMinutes;

  @Option(
      names = "--world-config",
      defaultValue = "cpu",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  WorldModelConfig.Preset worldConfig;

  @Option(
      names = "--plan-episodes",
      defaultValue = "5",
      description = "held-out episodes to plan (default: ${DEFAULT-VALUE})")
  int planEpisodes;

  @Option(names = "--skip-world", description = "no world-model part")
  boolean skipWorld;

  @Option(
      names = "--reasoning-minutes",
      defaultValue = "1",
      description =
          "Sudoku AR proposer training budget of the "
              + "reasoning part (default: ${DEFAULT-VALUE})")
  double reasoningMinutes;

  @Option(
      names = "--energy-steps",
      defaultValue = "1500",
      description =
          "pairwise-energy training steps of the reasoning " + "part (default: ${DEFAULT-VALUE})")
  long energySteps;

  @Option(
      names = "--sudoku-pool",
      defaultValue = "600",
      description =
          "generated training puzzles of the reasoning part " + "(default: ${DEFAULT-VALUE})")
  int sudokuPool;

  @Option(
      names = "--puzzles",
      defaultValue = "5",
      description = "unseen Sudoku puzzles the reasoning part solves (default: ${DEFAULT-VALUE})")
  int puzzles;

  @Option(names = "--skip-reasoning", description = "no reasoning part")
  boolean skipReasoning;

  @Option(names = "--out", defaultValue = "runs/demo")
  Path out;

  @Override
  public void run() {
    Path text = data != null ? data : defaultData();
    WorldModelConfig world = worldConfig.config();
    if (!skipWorld && (worldMinutes <= 0 || planEpisodes <= 0)) {
      throw new IllegalArgumentException(
          "--world-minutes and --plan-episodes must be positive (or give --skip-world)");
    }
    if (!skipReasoning
        && (reasoningMinutes <= 0
            || energySteps <= 0
            || sudokuPool < 16
            || puzzles <= 0
            || puzzles > 100)) {
      throw new IllegalArgumentException(
          "--reasoning-minutes and --energy-steps must be positive, --sudoku-pool ≥ 16 and "
              + "--puzzles within 1..100 (or give --skip-reasoning)");
    }
    System.out.println(
        "Strata demo: a "
            + arch
            + " character LM on "
            + text
            + ", "
            + lmMinutes
            + " min on "
            + Engine.info().threads()
            + " threads");
    deleteCheckpoints(out);
    Report report = lmPart(text);
    if (!skipWorld) worldPart(world, report);
    if (!skipReasoning) reasoningPart(report);
    try {
      report.write(out.resolve("report.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("\nreport: " + out.resolve("report.md"));
  }

  /** Trains the char LM, prints its result and a sample; the report's first part. */
  private Report lmPart(Path text) {
    LmTraining.Options o =
        LmTraining.Options.cpu(text, arch.toString(), out)
            .withBudget(lmMinutes * 60, 0)
            .withEval(100, 8)
            .withLr(3e-3, 3e-4, 50)
            .withProgressBar(System.console() != null);
    LmTraining.Outcome r = LmTraining.run(o, false);
    Path plot = TrainingPlots.characterLm(out, r.arch());
    LmTraining.Loaded lm = LmTraining.load(r.checkpoint());
    String prompt = "ROMEO:";
    long[] gen =
        lm.model().generate(lm.tokenizer().encode(prompt), 300, new CausalLm.Sampling(0.8, 0, 7));
    String sample = prompt + lm.tokenizer().decode(gen);
    System.out.printf(
        "%n%s, %,d parameters, %d steps in %.0f s: validation loss %.3f nats/char%n%n",
        r.arch(), r.params(), r.steps(), r.seconds(), r.valLoss());
    System.out.println(sample);
    System.out.println("\nLM loss plot: " + plot);
    Report report =
        new Report(
                "Strata demo: "
                    + r.arch()
                    + " character LM"
                    + (skipWorld ? "" : ", LeWM world model")
                    + (skipReasoning ? "" : ", layered Sudoku reasoning"))
            .put("data", text)
            .put("parameters", r.params())
            .put("steps", r.steps())
            .put("seconds", String.format("%.0f", r.seconds()))
            .put("validation loss (nats/char)", String.format("%.4f", r.valLoss()))
            .put("tokens/s", String.format("%.0f", r.tokensPerSecond()))
            .put("checkpoint", r.checkpoint());
    if (plot != null) report.plot("training and validation loss", plot);
    report.verbatim("sample (temperature 0.8)", sample);
    return report;
  }

  /**
   * Collects Two-Room, trains the world model for the budget, plans held-out episodes; adds all to
   * the report.
   */
  private void worldPart(WorldModelConfig config, Report report) {
    Path dir = out.resolve("world");
    Path dataset = dir.resolve("two-room.bin");
    System.out.printf(
        "%nWorld model: LeWM (%s config) on Two-Room, %.1f min, then planning %d held-out episodes%n",
        config.name(), worldMinutes, planEpisodes);
    deleteCheckpoints(dir);
    WorldCommand.Collect.collect(WORLD_EPISODES, WORLD_HELD_OUT, 0, dataset);
    WorldTraining.Outcome t =
        WorldTraining.run(
            WorldTraining.Options.of(
                dataset, config, worldMinutes * 60, 0, 0, 50, dir, System.console() != null),
            false);
    List<Path> plots = TrainingPlots.worldModel(dir);
    // world eval's protocol and planner (300 samples, 30 elites, 30 iterations), on fewer episodes;
    // no probe
    WorldEval.Protocol protocol = WorldEval.Protocol.paper(planEpisodes);
    Path evalDir = dir.resolve("eval-" + planEpisodes);
    WorldEvaluation.Result e =
        WorldEvaluation.run(
            dir.resolve("checkpoints"), dataset, protocol, LatentPlanner.paper(0), false, evalDir);
    WorldReport.write(e, evalDir);
    Path png = evalDir.resolve(WorldEvaluation.TRAJECTORIES_PNG);
    worldSummary(t, protocol, e, png).forEach(System.out::println);
    addWorld(report, t, plots, e, png);
  }

  /**
   * The stdout summary: training, one line per planned episode, success against the random policy,
   * and a caveat.
   */
  private List<String> worldSummary(
      WorldTraining.Outcome t, WorldEval.Protocol p, WorldEvaluation.Result e, Path png) {
    List<String> l = new ArrayList<>();
    l.add(
        String.format(
            "%nLeWM %s, %,d parameters, %d steps in %.0f s: held-out 1-step prediction MSE %.4f",
            e.config(), t.params(), t.steps(), t.seconds(), t.heldOutMse()));
    l.add(
        String.format(
            "%s in latent space from held-out starts, goal %d steps "
                + "ahead, %d-step budget, success within %.0f px:",
            e.planner(), p.offset(), p.budget(), TwoRoomConfig.DEFAULT.successRadius()));
    for (int i = 0; i < e.plannedEpisodes().size(); i++)
      l.add("  episode " + (i + 1) + ": " + describe(e.plannedEpisodes().get(i)));
    l.add(
        String.format(
            "reached %d/%d goals (random policy on the same tasks: %d/%d)",
            e.planned().successes(),
            e.planned().episodes(),
            e.random().successes(),
            e.random().episodes()));
    l.add(
        String.format(
            "A model trained for %.0f s is a demonstration, not a result: the numbers that count come from a "
                + "full `./strata world train` (2,500 steps, ~21 min on 2 quiet cores) and `./strata world eval` (50 episodes); see the README.",
            t.seconds()));
    l.add("planned vs executed paths: " + png);
    return l;
  }

  /** "reached in 23 steps, final distance 9.8 px, plan 0.81 s" */
  private static String describe(WorldEval.EpisodeSummary s) {
    String steps = s.steps() + (s.steps() == 1 ? " step" : " steps");
    return String.format(
        "%s, final distance %.1f px, plan %.2f s per replan",
        s.success() ? "reached in " + steps : "missed after " + steps,
        s.finalDistance(),
        s.meanPlanSeconds());
  }

  /**
   * Sudoku: a briefly trained AR proposer alone against the layered system, with the rule energy
   * and with the learned one; unseen puzzles are the first of sudoku_test.csv when the shared data
   * is there, else freshly generated ones.
   */
  private void reasoningPart(Report report) {
    Path dir = out.resolve("reasoning");
    deleteCheckpoints(dir.resolve("proposer"));
    deleteCheckpoints(dir.resolve("energy"));
    Path test = Path.of("../shared/data/sudoku-diffusion-vs-ar/sudoku_test.csv");
    List<dev.strata.tasks.sudoku.SudokuGrid> unseen =
        Files.isRegularFile(test)
            ? dev.strata.tasks.sudoku.SudokuData.loadCsv(test).stream()
                .limit(puzzles)
                .map(e -> e.puzzle())
                .toList()
            : dev.strata.tasks.sudoku.SudokuTraining.pool(puzzles, 30, 36, 987_654_321L, null)
                .stream()
                .map(g -> g.puzzle())
                .toList();
    String source =
        Files.isRegularFile(test)
            ? "the first " + puzzles + " of sudoku_test.csv"
            : puzzles + " freshly generated puzzles";
    System.out.printf(
        "%nReasoning: Sudoku — an AR proposer trained %.1f min, alone and under energies + search, on %s%n",
        reasoningMinutes, source);
    var demo =
        new dev.strata.bench.reasoning.SudokuDemo(
            reasoningMinutes * 60, energySteps, sudokuPool, unseen, dir, 1);
    var r = demo.run(System.out::println);
    System.out.printf(
        "%nAR proposer: %d steps, answer-token accuracy %.1f%% (teacher-forced); pairwise energy: %d steps, "
            + "held-out solution below a 1-cell perturbation %.0f%%%n",
        r.proposer().steps(),
        100 * r.proposer().valTokenAccuracy(),
        r.energy().steps(),
        100 * r.energy().rankVsPerturbed());
    System.out.printf(
        "%-4s %-14s %-22s %-24s %s%n",
        "#",
        "AR alone",
        "AR + rules + search",
        "AR + learned + search",
        "repair of the AR answer (rules)");
    int i = 0;
    int ar = 0, rules = 0, learned = 0;
    for (var row : r.rows()) {
      i++;
      ar += row.arViolations() == 0 ? 1 : 0;
      rules += row.rules() ? 1 : 0;
      learned += row.learned() ? 1 : 0;
      String line =
          String.format(
              "%-4d %-14s %-22s %-24s %s",
              i,
              row.arViolations() == 0 ? "solved" : row.arViolations() + " violations",
              (row.rules() ? "solved" : "failed") + String.format(" (%.0f ms)", row.rulesMs()),
              (row.learned() ? "solved" : "failed") + String.format(" (%.0f ms)", row.learnedMs()),
              (row.repaired() ? "solved" : "failed")
                  + " after "
                  + row.repairEvaluations()
                  + " evaluations");
      System.out.println(line);
      report.put("sudoku: puzzle " + i, line.substring(5).replaceAll(" {2,}", "; "));
    }
    report
        .put(
            "sudoku: solved",
            String.format(
                "AR alone %d/%d, AR + rule energy + search %d/%d, AR + learned energy + "
                    + "search %d/%d (%s)",
                ar, i, rules, i, learned, i, source))
        .put(
            "sudoku: models",
            String.format(
                "AR proposer %d steps (%.0f s), pairwise energy %d steps; the full runs are "
                    + "`./strata train reasoning --task sudoku` / `--task sudoku-ebm` (README)",
                r.proposer().steps(), r.proposer().seconds(), r.energy().steps()));
    report.plot(
        "sudoku: energy trace — min-conflict repair of the AR answers under the rule energy",
        r.tracePlot());
    System.out.println("energy trace: " + r.tracePlot());
  }

  /**
   * The world part of the report: training, each planned episode, success rates, and the two plots.
   */
  private void addWorld(
      Report report,
      WorldTraining.Outcome t,
      List<Path> plots,
      WorldEvaluation.Result e,
      Path png) {
    report
        .put(
            "world model",
            String.format(
                "LeWM %s, %,d parameters, %d steps in %.0f s (a demonstration; the full run "
                    + "is `./strata world train`, 2,500 steps)",
                e.config(), t.params(), t.steps(), t.seconds()))
        .put("world: held-out 1-step prediction MSE", String.format("%.4f", t.heldOutMse()))
        .put("world: planning protocol", e.protocol());
    for (int i = 0; i < e.plannedEpisodes().size(); i++) {
      report.put("world: episode " + (i + 1), describe(e.plannedEpisodes().get(i)));
    }
    report
        .put("world: planner success", WorldEvaluation.pct(e.planned()))
        .put("world: random policy success", WorldEvaluation.pct(e.random()));
    plots.stream()
        .filter(p -> p.getFileName().toString().equals("losses.png"))
        .forEach(p -> report.plot("world model: next-embedding prediction loss", p));
    report.plot("world model: planned (dashed) vs executed (solid) paths on the Two-Room map", png);
  }

  /** A demo always starts fresh: an old run's checkpoints would be resumed or mixed in. */
  private static void deleteCheckpoints(Path run) {
    Path ckpt = run.resolve("checkpoints");
    if (!Files.isDirectory(ckpt)) return;
    try (var walk = Files.walk(ckpt)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path defaultData() {
    for (Path p :
        new Path[] {
          Path.of("data/tinyshakespeare.txt"), Path.of("../shared/data/tinyshakespeare/input.txt")
        }) {
      if (Files.isRegularFile(p)) return p;
    }
    throw new IllegalArgumentException(
        "tinyshakespeare not found (data/tinyshakespeare.txt); give --data FILE");
  }
}
