package dev.strata.cli;

import dev.strata.nn.Engine;
import dev.strata.propose.CausalLm;
import dev.strata.report.Report;
import dev.strata.tasks.text.LmTraining;
import dev.strata.world.LatentPlanner;
import dev.strata.world.WorldEval;
import dev.strata.world.WorldEvaluation;
import dev.strata.world.WorldModelConfig;
import dev.strata.world.TwoRoomConfig;
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
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train a small character LM on tinyshakespeare (~2 min), then a LeWM world model on Two-Room (~2 min) "
        + "that plans to held-out goals; samples, plots and report in runs/demo/.")
final class DemoCommand implements Runnable {
  /** The dataset of {@code world collect}'s defaults: 10,000 episodes, the last 1,000 held out, seed 0. */
  private static final int WORLD_EPISODES = 10_000, WORLD_HELD_OUT = 1_000;

  @Option(names = "--data", description = "text file (default: data/tinyshakespeare.txt, else ../shared/data/tinyshakespeare/input.txt)")
  Path data;

  @Option(names = {"--lm-minutes", "--minutes"}, defaultValue = "2", description = "LM training budget (default: ${DEFAULT-VALUE})")
  double lmMinutes;

  @Option(names = "--arch", defaultValue = "transformer", description = "transformer, mamba2, mamba3 or hybrid") String arch;

  @Option(names = "--world-minutes", defaultValue = "2", description = "world-model training budget (default: ${DEFAULT-VALUE})")
  double worldMinutes;

  @Option(names = "--world-config", defaultValue = "cpu", description = "cpu, paper or tiny (default: ${DEFAULT-VALUE})")
  String worldConfig;

  @Option(names = "--plan-episodes", defaultValue = "5", description = "held-out episodes to plan (default: ${DEFAULT-VALUE})")
  int planEpisodes;

  @Option(names = "--skip-world", description = "only the LM part") boolean skipWorld;

  @Option(names = "--out", defaultValue = "runs/demo") Path out;

  @Override
  public void run() {
    Path text = data != null ? data : defaultData();
    WorldModelConfig world = WorldModelConfig.named(worldConfig); // refuse a bad name before training anything
    if (!skipWorld && (worldMinutes <= 0 || planEpisodes <= 0)) {
      throw new IllegalArgumentException("--world-minutes and --plan-episodes must be positive (or give --skip-world)");
    }
    System.out.println("Strata demo: a " + arch + " character LM on " + text + ", " + lmMinutes + " min on "
        + Engine.info().threads() + " threads");
    deleteCheckpoints(out);
    Report report = lmPart(text);
    if (!skipWorld) worldPart(world, report);
    try {
      report.write(out.resolve("report.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("\nreport: " + out.resolve("report.md"));
  }

  /** Trains the char LM, prints its result and a sample; the report's first part. */
  private Report lmPart(Path text) {
    LmTraining.Options o = LmTraining.Options.cpu(text, arch, out)
        .withBudget(lmMinutes * 60, 0)
        .withEval(100, 8)
        .withLr(3e-3, 3e-4, 50)
        .withProgressBar(System.console() != null);
    LmTraining.Outcome r = LmTraining.run(o, false);
    LmTraining.Loaded lm = LmTraining.load(r.checkpoint());
    String prompt = "ROMEO:";
    long[] gen = lm.model().generate(lm.tokenizer().encode(prompt), 300, new CausalLm.Sampling(0.8, 0, 7));
    String sample = prompt + lm.tokenizer().decode(gen);
    System.out.printf("%n%s, %,d parameters, %d steps in %.0f s: validation loss %.3f nats/char%n%n", r.arch(), r.params(),
        r.steps(), r.seconds(), r.valLoss());
    System.out.println(sample);
    System.out.println("\nLM loss plot: " + r.plot());
    Report report = new Report("Strata demo: " + r.arch() + " character LM" + (skipWorld ? "" : " and LeWM world model"))
        .put("data", text)
        .put("parameters", r.params())
        .put("steps", r.steps())
        .put("seconds", String.format("%.0f", r.seconds()))
        .put("validation loss (nats/char)", String.format("%.4f", r.valLoss()))
        .put("tokens/s", String.format("%.0f", r.tokensPerSecond()))
        .put("checkpoint", r.checkpoint());
    if (r.plot() != null) report.plot("training and validation loss", r.plot());
    report.verbatim("sample (temperature 0.8)", sample);
    return report;
  }

  /** Collects Two-Room, trains the world model for the budget, plans held-out episodes; adds all to the report. */
  private void worldPart(WorldModelConfig config, Report report) {
    Path dir = out.resolve("world");
    Path dataset = dir.resolve("two-room.bin");
    System.out.printf("%nWorld model: LeWM (%s config) on Two-Room, %.1f min, then planning %d held-out episodes%n",
        config.name(), worldMinutes, planEpisodes);
    deleteCheckpoints(dir);
    WorldCommand.Collect.collect(WORLD_EPISODES, WORLD_HELD_OUT, 0, dataset);
    WorldTraining.Outcome t = WorldTraining.run(new WorldTraining.Options(dataset, config, worldMinutes * 60, 0, 0, 50, dir,
        System.console() != null), false);
    // world eval's protocol and planner (300 samples, 30 elites, 30 iterations), on fewer episodes; no probe
    WorldEval.Protocol protocol = WorldEval.Protocol.paper(planEpisodes);
    Path evalDir = dir.resolve("eval-" + planEpisodes);
    WorldEvaluation.Result e = WorldEvaluation.run(dir.resolve("checkpoints"), dataset, protocol, LatentPlanner.paper(0),
        false, evalDir);
    Path png = evalDir.resolve(WorldEvaluation.TRAJECTORIES_PNG);
    worldSummary(t, protocol, e, png).forEach(System.out::println);
    addWorld(report, t, e, png);
  }

  /** The stdout summary: training, one line per planned episode, success against the random policy, and a caveat. */
  private List<String> worldSummary(WorldTraining.Outcome t, WorldEval.Protocol p, WorldEvaluation.Result e, Path png) {
    List<String> l = new ArrayList<>();
    l.add(String.format("%nLeWM %s, %,d parameters, %d steps in %.0f s: held-out 1-step prediction MSE %.4f", e.config(),
        t.params(), t.steps(), t.seconds(), t.heldOutMse()));
    l.add(String.format("CEM in latent space (%d samples, %d elites, %d iterations) from held-out starts, goal %d steps "
        + "ahead, %d-step budget, success within %.0f px:", e.cemSamples(), e.cemElites(), e.cemIterations(), p.offset(),
        p.budget(), TwoRoomConfig.DEFAULT.successRadius()));
    for (int i = 0; i < e.cemEpisodes().size(); i++) l.add("  episode " + (i + 1) + ": " + describe(e.cemEpisodes().get(i)));
    l.add(String.format("reached %d/%d goals (random policy on the same tasks: %d/%d)", e.cem().successes(),
        e.cem().episodes(), e.random().successes(), e.random().episodes()));
    l.add(String.format("A model trained for %.0f s is a demonstration, not a result: the numbers that count come from a "
        + "full `./strata world train` (2,500 steps, ~21 min on 2 quiet cores) and `./strata world eval` (50 episodes); see the README.", t.seconds()));
    l.add("planned vs executed paths: " + png);
    return l;
  }

  /** "reached in 23 steps, final distance 9.8 px, plan 0.81 s" */
  private static String describe(WorldEval.EpisodeSummary s) {
    String steps = s.steps() + (s.steps() == 1 ? " step" : " steps");
    return String.format("%s, final distance %.1f px, plan %.2f s per replan",
        s.success() ? "reached in " + steps : "missed after " + steps, s.finalDistance(), s.meanPlanSeconds());
  }

  /** The world part of the report: training, each planned episode, success rates, and the two plots. */
  private void addWorld(Report report, WorldTraining.Outcome t, WorldEvaluation.Result e, Path png) {
    report.put("world model", String.format("LeWM %s, %,d parameters, %d steps in %.0f s (a demonstration; the full run "
            + "is `./strata world train`, 2,500 steps)", e.config(), t.params(), t.steps(), t.seconds()))
        .put("world: held-out 1-step prediction MSE", String.format("%.4f", t.heldOutMse()))
        .put("world: planning protocol", e.protocol());
    for (int i = 0; i < e.cemEpisodes().size(); i++) {
      report.put("world: episode " + (i + 1), describe(e.cemEpisodes().get(i)));
    }
    report.put("world: CEM success", WorldEvaluation.pct(e.cem()))
        .put("world: random policy success", WorldEvaluation.pct(e.random()));
    t.plots().stream().filter(p -> p.getFileName().toString().equals("losses.png"))
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
    for (Path p : new Path[] {Path.of("data/tinyshakespeare.txt"), Path.of("../shared/data/tinyshakespeare/input.txt")}) {
      if (Files.isRegularFile(p)) return p;
    }
    throw new IllegalArgumentException("tinyshakespeare not found (data/tinyshakespeare.txt); give --data FILE");
  }
}
