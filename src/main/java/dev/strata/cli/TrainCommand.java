package dev.strata.cli;

import dev.strata.bench.text.DiffusionTraining;
import dev.strata.bench.text.LmTraining;
import dev.strata.propose.LmArch;
import dev.strata.report.TrainingPlots;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata train …}: training jobs. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a model.",
    subcommands = {
      TrainCommand.Lm.class,
      TrainCommand.Diffusion.class,
      TrainReasoningCommand.class,
      TrainExpertCommand.class
    })
final class TrainCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code strata train lm}: a character-level language model. */
  @Command(
      name = "lm",
      mixinStandardHelpOptions = true,
      description =
          "Train a character-level LM (nanoGPT split: first 90%% train, last 10%% validation).")
  static final class Lm implements Runnable {
    @Mixin TextRun common;

    @Option(
        names = "--arch",
        defaultValue = "transformer",
        description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    LmArch arch;

    @Option(
        names = "--dropout",
        description =
            "residual dropout on every block while training (default: 0.1 for mamba2 and mamba3, else 0)")
    Double dropout;

    @Option(
        names = "--d-state",
        description = "SSM state size N of Mamba-2/Mamba-3 layers (default 64)")
    Integer dState;

    @Mixin RunDirOption out = new RunDirOption("runs/lm-<arch>");

    @Override
    public void run() {
      common.check();
      Path dir = out.dir(() -> Path.of("runs", "lm-" + arch));
      LmTraining.Options o =
          LmTraining.Options.cpu(common.data, arch.toString(), dir)
              .withBudget(common.minutes * 60, common.steps)
              .withShape(common.batch, common.context)
              .withLr(common.lr, common.lr / 10, 100)
              .withEval(common.evalEvery, 16)
              .withSeed(common.seed.seed)
              .withProgressBar(common.progress.bar());
      if (dropout != null) o = o.withDropout(dropout);
      if (dState != null) {
        if (dState <= 0)
          throw new IllegalArgumentException("--d-state must be positive, got " + dState);
        o = o.withDState(dState);
      }
      LmTraining.Outcome r = LmTraining.run(o, common.resume);
      Path plot = TrainingPlots.characterLm(dir, r.arch());
      System.out.printf(
          "%s (%s, %,d params): %d steps in %.0f s, validation loss %.4f nats/char, train loss %.4f, %.0f tokens/s (%s)%n",
          r.arch(),
          r.pattern(),
          r.params(),
          r.steps(),
          r.seconds(),
          r.valLoss(),
          r.trainLoss(),
          r.tokensPerSecond(),
          r.stop().name().toLowerCase());
      TextRun.printFiles(r.checkpoint(), r.metrics(), plot);
    }
  }

  /**
   * {@code strata train diffusion}: a character-level masked-diffusion LM (MDLM / LLaDA; LLaDA 2.1
   * editing variant).
   */
  @Command(
      name = "diffusion",
      mixinStandardHelpOptions = true,
      description =
          "Train a character-level masked-diffusion LM (same split and windows as train lm; validation NELBO in nats/char).")
  static final class Diffusion implements Runnable {
    @Mixin TextRun common;

    @Option(
        names = "--warmup",
        defaultValue = "100",
        description = "warm-up steps (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--width", defaultValue = "128")
    int width;

    @Option(names = "--depth", defaultValue = "4")
    int depth;

    @Option(names = "--heads", defaultValue = "4")
    int heads;

    @Option(
        names = "--edit-fraction",
        defaultValue = "0",
        description =
            "LLaDA 2.1 editing variant: fraction of unmasked tokens replaced by random ones, with loss on them (0: plain MDLM)")
    double editFraction;

    @Mixin
    RunDirOption out =
        new RunDirOption("runs/diffusion, or runs/diffusion-edit with --edit-fraction");

    @Override
    public void run() {
      common.check();
      Path dir = out.dir(() -> Path.of("runs", editFraction > 0 ? "diffusion-edit" : "diffusion"));
      DiffusionTraining.Options o =
          DiffusionTraining.Options.cpu(common.data, dir)
              .withBudget(common.minutes * 60, common.steps)
              .withShape(common.batch, common.context)
              .withModel(width, depth, heads)
              .withLr(common.lr, common.lr / 10, warmup)
              .withEval(common.evalEvery, 16)
              .withSeed(common.seed.seed)
              .withEditFraction(editFraction)
              .withProgressBar(common.progress.bar());
      DiffusionTraining.Outcome r = DiffusionTraining.run(o, common.resume);
      Path plot = TrainingPlots.characterDiffusion(dir);
      System.out.printf(
          "masked diffusion%s (%,d params): %d steps in %.0f s, validation NELBO %.4f nats/char, train loss %.4f, %.0f tokens/s (%s)%n",
          editFraction > 0 ? " with editing" : "",
          r.params(),
          r.steps(),
          r.seconds(),
          r.valNelbo(),
          r.trainLoss(),
          r.tokensPerSecond(),
          r.stop().name().toLowerCase());
      TextRun.printFiles(r.checkpoint(), r.metrics(), plot);
    }
  }

  /**
   * The options {@code train lm} and {@code train diffusion} share: data, budget, shape, learning
   * rate, evaluation, resume.
   */
  static final class TextRun {
    @Option(
        names = "--data",
        required = true,
        description = "UTF-8 text file, e.g. ../shared/data/tinyshakespeare/input.txt")
    Path data;

    @Option(
        names = "--minutes",
        defaultValue = "15",
        description = "wall-clock budget in minutes (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(
        names = "--steps",
        defaultValue = "0",
        description = "stop after this many steps (0: as many as the budget allows)")
    long steps;

    @Option(names = "--batch", defaultValue = "32")
    int batch;

    @Option(names = "--context", defaultValue = "256")
    int context;

    @Option(
        names = "--lr",
        defaultValue = "3e-3",
        description = "peak learning rate, cosine to a tenth (default: ${DEFAULT-VALUE})")
    double lr;

    @Mixin SeedOption seed = new SeedOption(1337);

    @Option(
        names = "--eval-every",
        defaultValue = "250",
        description = "steps between validation evaluations")
    long evalEvery;

    @Option(names = "--resume", description = "continue the newest checkpoint in the run directory")
    boolean resume;

    @Mixin ProgressOption progress;

    /** Refuses a missing data file and negative budgets. */
    void check() {
      if (!Files.isRegularFile(data)) {
        throw new IllegalArgumentException(
            "data file not found: " + data + " (give --data a UTF-8 text file)");
      }
      if (minutes < 0 || steps < 0)
        throw new IllegalArgumentException("--minutes and --steps must be ≥ 0");
    }

    static void printFiles(Path checkpoint, Path metrics, Path plot) {
      System.out.println("checkpoint: " + checkpoint);
      System.out.println("metrics:    " + metrics);
      if (plot != null) System.out.println("plot:       " + plot);
    }
  }
}
