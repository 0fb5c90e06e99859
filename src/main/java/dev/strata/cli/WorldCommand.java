package dev.strata.cli;

import dev.strata.nn.DType;
import dev.strata.report.TrainingPlots;
import dev.strata.world.LatentPlanner;
import dev.strata.world.Trajectories;
import dev.strata.world.TwoRoomConfig;
import dev.strata.world.WorldEval;
import dev.strata.world.WorldEvaluation;
import dev.strata.world.WorldModelConfig;
import dev.strata.world.WorldTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata world …}: the LeWM world model on Two-Room (collect, train, eval, probe). */
@Command(
    name = "world",
    mixinStandardHelpOptions = true,
    description = "JEPA world model (LeWM) on Two-Room: collect data, train, plan, evaluate.",
    subcommands = {
      WorldCommand.Collect.class,
      WorldCommand.Train.class,
      WorldCommand.Eval.class,
      WorldCommand.Probe.class
    })
final class WorldCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code strata world collect}: the noisy-expert dataset. */
  @Command(
      name = "collect",
      mixinStandardHelpOptions = true,
      description =
          "Collect Two-Room episodes of the noisy expert (states and actions; frames are rendered on the fly).")
  static final class Collect implements Runnable {
    @Option(
        names = "--episodes",
        defaultValue = "10000",
        description = "episodes (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(
        names = "--held-out",
        defaultValue = "1000",
        description =
            "the last this many episodes are held out for evaluation (default: ${DEFAULT-VALUE})")
    int heldOut;

    @Mixin SeedOption seed = new SeedOption(0);

    @Option(
        names = "--out",
        defaultValue = "runs/world/two-room.bin",
        description = "dataset file (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public void run() {
      collect(episodes, heldOut, seed.seed, out);
    }

    /** Collects and writes the dataset, printing one line (also the demo's world part). */
    static void collect(int episodes, int heldOut, long seed, Path out) {
      long t0 = System.nanoTime();
      Trajectories data = Trajectories.collect(TwoRoomConfig.DEFAULT, episodes, heldOut, seed);
      data.write(out);
      System.out.printf(
          "%,d episodes (%,d held out), %,d steps (%.1f per episode) in %.1f s → %s%n",
          data.episodes(),
          data.heldOut,
          data.steps(),
          (double) data.steps() / data.episodes(),
          (System.nanoTime() - t0) / 1e9,
          out);
    }
  }

  /** {@code strata world train}: LeWM from pixels. */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = "Train the LeWM world model (JEPA + SIGReg) on a collected Two-Room dataset.")
  static final class Train implements Runnable {
    @Mixin WorldDataOption dataOption;

    @Option(
        names = "--config",
        defaultValue = "cpu",
        description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    WorldModelConfig.Preset config;

    @Option(
        names = "--minutes",
        defaultValue = "0",
        description =
            "wall-clock budget in minutes; with --steps 0 the run plans as many steps as fit (default: none)")
    double minutes;

    // A fixed step count makes the learning-rate schedule, and so the result, independent of the
    // machine's speed:
    // 2,500 steps reach 94% (50-episode protocol) and take ~21 minutes on 2 quiet cores (0.50
    // s/step).
    @Option(
        names = "--steps",
        defaultValue = "2500",
        description = "training steps (default: ${DEFAULT-VALUE}; 0: as many as --minutes allows)")
    long steps;

    @Mixin SeedOption seed = new SeedOption(0);

    @Option(
        names = "--eval-every",
        defaultValue = "250",
        description = "steps between held-out evaluations")
    long evalEvery;

    @Mixin RunDirOption out = new RunDirOption("runs/world-<config>");

    @Option(names = "--resume", description = "continue the newest checkpoint in the run directory")
    boolean resume;

    @Mixin ProgressOption progress;

    @Override
    public void run() {
      if (minutes < 0 || steps < 0)
        throw new IllegalArgumentException("--minutes and --steps must be ≥ 0");
      WorldModelConfig c = config.config();
      Path dir = out.dir(() -> Path.of("runs", "world-" + config));
      System.out.printf(
          "LeWM %s: %.1f GFLOP per training step (batch %d)%n",
          c.name(), c.flopsPerStep() / 1e9, c.batch());
      WorldTraining.Outcome r =
          WorldTraining.run(
              WorldTraining.Options.of(
                  dataOption.data,
                  c,
                  minutes * 60,
                  steps,
                  seed.seed,
                  evalEvery,
                  dir,
                  progress.bar()),
              resume);
      var plots = TrainingPlots.worldModel(dir);
      System.out.printf(
          "%,d params: %d steps in %.0f s (%.2f s/step, %s); loss %.4f (prediction %.4f, SIGReg %.3f); "
              + "held-out 1-step MSE %.4f%n",
          r.params(),
          r.steps(),
          r.seconds(),
          r.secondsPerStep(),
          r.stop().name().toLowerCase(),
          r.loss(),
          r.prediction(),
          r.sigreg(),
          r.heldOutMse());
      System.out.println("checkpoint: " + r.checkpoint());
      System.out.println("metrics:    " + r.metrics());
      plots.forEach(p -> System.out.println("plot:       " + p));
    }
  }

  /** The checkpoint to evaluate, with a hint when there is none. */
  static Path checkpointOrHint(Path run) {
    Path root = Files.isDirectory(run.resolve("checkpoints")) ? run.resolve("checkpoints") : run;
    if (!Files.exists(root)) {
      throw new IllegalArgumentException(
          "no checkpoint at " + run + " (train one with: strata world train --out " + run + ")");
    }
    return root;
  }

  /** {@code strata world eval}: the planning protocol. */
  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description =
          "Plan in latent space (CEM by default) on held-out Two-Room tasks (the paper's protocol) and compare with a random policy.")
  static final class Eval implements Runnable {
    @Option(
        names = "--run",
        defaultValue = "runs/world-cpu",
        description = "run directory or checkpoint (default: ${DEFAULT-VALUE})")
    Path run;

    @Mixin WorldDataOption dataOption;

    @Option(
        names = "--episodes",
        defaultValue = "50",
        description = "held-out episodes (default: ${DEFAULT-VALUE}; the paper's protocol)")
    int episodes;

    @Mixin SeedOption seed = new SeedOption(42);

    @Option(
        names = "--goal-offset",
        defaultValue = "25",
        description =
            "the goal is this many steps after the start on the same held-out trajectory (default: ${DEFAULT-VALUE})")
    int goalOffset;

    @Option(
        names = "--budget",
        defaultValue = "50",
        description =
            "environment steps allowed to reach the goal (default: ${DEFAULT-VALUE}; with --goal-offset 50 or 100, try 100 or 200)")
    int budget;

    @Option(
        names = "--planner",
        defaultValue = "cem",
        description =
            "${COMPLETION-CANDIDATES}: LeWM's cross-entropy method, MPPI, or iCEM (default: ${DEFAULT-VALUE})")
    LatentPlanner.Method planner;

    @Option(
        names = "--samples",
        defaultValue = "300",
        description = "plans per iteration (iCEM: in the first) (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(
        names = "--elites",
        defaultValue = "30",
        description = "plans refit to, CEM and iCEM (default: ${DEFAULT-VALUE})")
    int elites;

    @Option(
        names = "--iterations",
        defaultValue = "30",
        description = "planner iterations per replanning step (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--no-probe", description = "skip the linear probe")
    boolean noProbe;

    @Option(
        names = "--bf16",
        description = "plan in bfloat16 (the predictor's rollouts; energies compared in float32)")
    boolean bf16;

    @Option(
        names = "--out",
        description =
            "result directory (default: <run>/eval-<episodes>, plus -seed, -offset, -budget when not the paper's)")
    Path out;

    @Override
    public void run() {
      if (episodes <= 0) throw new IllegalArgumentException("--episodes must be positive");
      if (goalOffset <= 0 || budget <= 0)
        throw new IllegalArgumentException(
            "--goal-offset and --budget must be positive, got " + goalOffset + " and " + budget);
      WorldEval.Protocol paper = WorldEval.Protocol.paper(episodes);
      WorldEval.Protocol protocol =
          new WorldEval.Protocol(
              episodes, seed.seed, goalOffset, budget, paper.horizon(), paper.replanEvery());
      Path checkpoint = checkpointOrHint(run);
      Path dir =
          out != null
              ? out
              : (Files.isDirectory(run.resolve("checkpoints")) ? run : run.getParent())
                  .resolve(defaultName(protocol, paper));
      WorldEvaluation.Result r =
          WorldEvaluation.run(
              checkpoint,
              dataOption.data,
              protocol,
              new LatentPlanner(planner, samples, elites, iterations, 0),
              !noProbe,
              bf16 ? DType.BFLOAT16 : DType.FLOAT32,
              dir);
      WorldReport.write(r, dir);
      WorldEvaluation.lines(r).forEach(System.out::println);
      System.out.println("result: " + dir.resolve("result.json"));
      System.out.println("report: " + dir.resolve("report.md"));
    }

    /** eval-<episodes>, with the settings that differ from the paper's protocol appended. */
    static String defaultName(WorldEval.Protocol p, WorldEval.Protocol paper) {
      return "eval-"
          + p.episodes()
          + (p.seed() != paper.seed() ? "-seed" + p.seed() : "")
          + (p.offset() != paper.offset() ? "-offset" + p.offset() : "")
          + (p.budget() != paper.budget() ? "-budget" + p.budget() : "");
    }
  }

  /** {@code strata world probe}: linear-probe R² of the agent position. */
  @Command(
      name = "probe",
      mixinStandardHelpOptions = true,
      description =
          "Linear-probe R² of the agent's x and y from the embedding (fit on training frames, scored on held-out frames).")
  static final class Probe implements Runnable {
    @Option(
        names = "--run",
        defaultValue = "runs/world-cpu",
        description = "run directory or checkpoint (default: ${DEFAULT-VALUE})")
    Path run;

    @Mixin WorldDataOption dataOption;

    @Override
    public void run() {
      double[] r2 = WorldEvaluation.probe(checkpointOrHint(run), dataOption.data);
      System.out.printf(
          "linear probe R²: x %.4f, y %.4f (4,096 training frames, 2,048 held-out frames)%n",
          r2[0], r2[1]);
    }
  }
}
