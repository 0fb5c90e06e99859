package dev.strata.cli;

import dev.strata.bench.reasoning.ArNegatives;
import dev.strata.bench.reasoning.CountdownEbm;
import dev.strata.bench.reasoning.PathStarEbm;
import dev.strata.bench.reasoning.SudokuEnergyKind;
import dev.strata.bench.reasoning.TrainingTask;
import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.LmConfig;
import dev.strata.report.TrainingPlots;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarCodec;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.train.Recipe;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata train reasoning --task sudoku}: the autoregressive proposer of a reasoning task, on
 * generated data.
 */
@Command(
    name = "reasoning",
    mixinStandardHelpOptions = true,
    description =
        "Train a task's autoregressive proposer on our own generated data (never on the shared evaluation files).")
final class TrainReasoningCommand implements Runnable {
  @Option(
      names = "--task",
      required = true,
      description =
          "${COMPLETION-CANDIDATES}: <task> trains the AR proposer, <task>-diffusion a "
              + "masked-diffusion proposer, <task>-ebm the learned energy (the proposer's samples are "
              + "negatives, see --proposer)")
  TrainingTask task;

  @Option(
      names = "--token-reweighting",
      defaultValue = "0",
      description =
          "<task>-diffusion: γ of MGDM's focal token "
              + "re-weighting α(1 − e^(−ℓ))^γ·ℓ (Ye et al. 2025; 2 is theirs; 0: plain MDLM loss, the default)")
  double tokenReweighting;

  @Option(
      names = "--proposer",
      description =
          "for <task>-ebm: the trained AR proposer whose samples are the negatives (default: runs/<task>-ar)")
  Path proposer;

  @Option(
      names = "--minutes",
      description = "wall-clock budget in minutes (default: 5, or none when --steps is given)")
  Double minutesOption;

  /**
   * The budget in minutes: as given, else 5 unless a step count was given (then the steps alone
   * decide).
   */
  private double minutes;

  @Option(
      names = "--steps",
      defaultValue = "0",
      description = "stop after this many steps (0: as many as the budget allows)")
  long steps;

  @Option(names = "--batch", defaultValue = "64")
  int batch;

  @Option(names = "--lr", defaultValue = "1e-3")
  double lr;

  @Option(
      names = "--pool",
      defaultValue = "20000",
      description = "generated training puzzles (each seen under random symmetries)")
  int pool;

  @Option(
      names = "--givens",
      defaultValue = "26-40",
      description = "range of givens of generated puzzles (default: ${DEFAULT-VALUE})")
  String givens;

  @Option(names = "--width", defaultValue = "128")
  int width;

  @Option(
      names = "--energy-model",
      defaultValue = "pairwise",
      description =
          "sudoku-ebm: ${COMPLETION-CANDIDATES}; pairwise prices partial grids, so the "
              + "complete search prunes with it (default: ${DEFAULT-VALUE})")
  SudokuEnergyKind energyModel;

  @Option(
      names = "--ar-negatives",
      defaultValue = "4",
      description =
          "<task>-ebm: the proposer's own samples per puzzle as hard negatives (0: none, no proposer needed)")
  int arNegatives;

  @Option(names = "--layers", defaultValue = "4")
  int layers;

  @Mixin SeedOption seedOption;

  @Option(names = "--eval-every", defaultValue = "100")
  long evalEvery;

  @Option(
      names = "--keep-checkpoints",
      defaultValue = "3",
      description =
          "proposers: newest checkpoints kept, one every 2 "
              + "minutes (0: all, to bench accuracy against training time; default: ${DEFAULT-VALUE})")
  int keepCheckpoints;

  @Mixin
  RunDirOption out = new RunDirOption("runs/<task>-ar for an AR proposer, else runs/<the --task>");

  @Option(names = "--resume", description = "continue the newest checkpoint in the run directory")
  boolean resume;

  @Mixin ProgressOption progress;

  private long seed;

  @Override
  public void run() {
    seed = seedOption.seed;
    minutes = minutesOption != null ? minutesOption : steps > 0 ? 0 : 5;
    if (minutes < 0 || steps < 0)
      throw new IllegalArgumentException("--minutes and --steps must be ≥ 0");
    if (minutes == 0 && steps == 0)
      throw new IllegalArgumentException(
          "give a time budget (--minutes) or a number of steps (--steps)");
    if (!givens.matches("\\d+-\\d+"))
      throw new IllegalArgumentException("--givens must look like 26-40, got " + givens);
    int lo = Integer.parseInt(givens.split("-")[0]);
    int hi = Integer.parseInt(givens.split("-")[1]);
    if (lo < 17 || hi > 80 || lo > hi)
      throw new IllegalArgumentException(
          "--givens must lie within 17-80, low ≤ high; got " + givens);
    Path dir = out.dir(task::defaultRunDir);
    if (task == TrainingTask.PATHSTAR) {
      trainPathStar(dir);
      return;
    }
    if (task == TrainingTask.COUNTDOWN) {
      trainCountdown(dir);
      return;
    }
    if (task == TrainingTask.COUNTDOWN_DIFFUSION) {
      var codec = new dev.strata.tasks.countdown.CountdownCodec();
      trainDiffusion(
          dir,
          codec.vocab(),
          dev.strata.tasks.countdown.CountdownCodec.PROMPT_CHARS
              + 1
              + dev.strata.tasks.countdown.CountdownCodec.ANSWER_LENGTH,
          dev.strata.tasks.countdown.CountdownData.examples(seed),
          dev.strata.tasks.countdown.CountdownData.examples(seed + 1_000_003));
      return;
    }
    if (task == TrainingTask.PATHSTAR_EBM) {
      ArProposer<PathStar, int[]> ar = null;
      if (arNegatives > 0) {
        ArTraining.Loaded m =
            ArTraining.load(
                proposer != null ? proposer : Path.of("runs", "pathstar-ar"), "pathstar");
        ar =
            new ArProposer<>(
                m.model(),
                new PathStarCodec(m.spec().lm().vocab() - 2),
                ArProposer.Decoding.sampling(1.0, false));
      }
      trainCrossEncoder(PathStarEbm.published(seed), ar, dir);
      return;
    }
    if (task == TrainingTask.COUNTDOWN_EBM) {
      ArProposer<Countdown, String> ar = null;
      if (arNegatives > 0) {
        ArTraining.Loaded m =
            ArTraining.load(
                proposer != null ? proposer : Path.of("runs", "countdown-ar"), "countdown");
        ar =
            new ArProposer<>(
                m.model(), new CountdownCodec(), ArProposer.Decoding.sampling(1.0, false));
      }
      trainCrossEncoder(new CountdownEbm(seed), ar, dir);
      return;
    }
    Path cache =
        Path.of(
            "runs", "data",
            "sudoku"); // the AR proposer and its energy train on the same generated pool
    System.err.printf(
        "generating %,d training and 512 validation puzzles (cached in %s)…%n", pool, cache);
    long t0 = System.nanoTime();
    List<SudokuGenerator.Generated> trainPool = SudokuTraining.pool(pool, lo, hi, seed, cache);
    List<SudokuGenerator.Generated> valPool =
        SudokuTraining.pool(512, lo, hi, seed + 1_000_003, cache);
    System.err.printf("puzzles ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    if (task == TrainingTask.SUDOKU_EBM) {
      trainSudokuEnergy(dir, trainPool, valPool);
      return;
    }
    if (task == TrainingTask.SUDOKU_DIFFUSION) {
      trainDiffusion(
          dir,
          new dev.strata.tasks.sudoku.SudokuCodec().vocab(),
          82 + 81,
          SudokuTraining.examples(trainPool, seed, true),
          SudokuTraining.examples(valPool, seed, false));
      return;
    }
    LmConfig base = SudokuTraining.cpuModel();
    LmConfig lm =
        new LmConfig(
            base.arch(),
            base.vocab(),
            width,
            "A".repeat(layers),
            Math.max(1, width / 32),
            base.dState(),
            base.headDim(),
            base.expand(),
            base.chunk(),
            base.context());
    var o = new ArTraining.Options(task.toString(), lm, proposerRecipe(dir), 512, keepCheckpoints);
    ArTraining.Outcome r =
        ArTraining.run(
            o,
            SudokuTraining.examples(trainPool, seed, true),
            SudokuTraining.examples(valPool, seed, false),
            resume);
    report(r, dir);
  }

  /**
   * A masked-diffusion proposer on the same generated examples as the task's AR proposer: a
   * bidirectional Transformer of the AR proposer's width and depth over prompt + answer, trained
   * with the prompt fixed and the answer masked.
   */
  private void trainDiffusion(
      Path dir,
      int vocab,
      int context,
      ArTraining.ExampleSource train,
      ArTraining.ExampleSource val) {
    var model =
        new dev.strata.propose.DiffusionConfig(
            vocab, width, layers, Math.max(1, width / 32), context, 0, 0);
    var o =
        new dev.strata.propose.DiffusionProposerTraining.Options(
            task.task.toString(),
            model,
            tokenReweighting,
            proposerRecipe(dir),
            512,
            keepCheckpoints);
    ArTraining.Outcome r = dev.strata.propose.DiffusionProposerTraining.run(o, train, val, resume);
    Path plot = TrainingPlots.diffusionProposer(dir, o.task());
    System.out.printf(
        "%s proposer (%,d params%s): %d steps in %.0f s, train loss %.4f, validation NELBO %.4f nats/token, "
            + "validation masked-token accuracy %.2f%% (%s)%n",
        task,
        r.params(),
        tokenReweighting > 0 ? ", MGDM token re-weighting γ=" + tokenReweighting : "",
        r.steps(),
        r.seconds(),
        r.trainLoss(),
        r.valLoss(),
        100 * r.valTokenAccuracy(),
        r.stop().name().toLowerCase());
    System.out.println("checkpoint: " + r.checkpoint());
    System.out.println("metrics:    " + r.metrics());
    if (plot != null) System.out.println("plot:       " + plot);
  }

  /**
   * One model for both published settings, D=2 L=5 and D=5 L=3, over node ids 0..49, on freshly
   * generated graphs.
   */
  private void trainPathStar(Path dir) {
    int[][] settings = {{2, 5}, {5, 3}};
    int nodes = 50;
    LmConfig lm =
        new LmConfig(
            "transformer",
            nodes + 2,
            width,
            "A".repeat(layers),
            Math.max(1, width / 32),
            64,
            32,
            2,
            64,
            32);
    var o = new ArTraining.Options(task.toString(), lm, proposerRecipe(dir), 512, keepCheckpoints);
    report(
        ArTraining.run(
            o,
            dev.strata.tasks.pathstar.PathStarData.examples(settings, nodes, batch, seed),
            dev.strata.tasks.pathstar.PathStarData.examples(
                new int[][] {{2, 5}}, nodes, batch, seed + 1_000_003),
            resume),
        dir);
  }

  /**
   * Character-level proposer on generated problems with exact solutions (the CD4 files are never
   * read).
   */
  private void trainCountdown(Path dir) {
    var codec = new dev.strata.tasks.countdown.CountdownCodec();
    LmConfig lm =
        new LmConfig(
            "transformer",
            codec.vocab(),
            width,
            "A".repeat(layers),
            Math.max(1, width / 32),
            64,
            32,
            2,
            64,
            dev.strata.tasks.countdown.CountdownCodec.PROMPT_CHARS
                + 1
                + dev.strata.tasks.countdown.CountdownCodec.ANSWER_LENGTH);
    var o = new ArTraining.Options(task.toString(), lm, proposerRecipe(dir), 512, keepCheckpoints);
    report(
        ArTraining.run(
            o,
            dev.strata.tasks.countdown.CountdownData.examples(seed),
            dev.strata.tasks.countdown.CountdownData.examples(seed + 1_000_003),
            resume),
        dir);
  }

  /**
   * The residual energy of the Sudoku proposer, trained by ranking NCE on the proposer's own
   * samples.
   */
  private void trainSudokuEnergy(
      Path dir,
      List<SudokuGenerator.Generated> trainPool,
      List<SudokuGenerator.Generated> valPool) {
    dev.strata.propose.ArProposer<
            dev.strata.tasks.sudoku.SudokuGrid, dev.strata.tasks.sudoku.SudokuGrid>
        ar = null;
    if (arNegatives > 0) {
      Path p = proposer != null ? proposer : Path.of("runs", "sudoku-ar");
      ArTraining.Loaded m = ArTraining.load(p, SudokuTraining.TASK);
      ar =
          new dev.strata.propose.ArProposer<>(
              m.model(),
              new dev.strata.tasks.sudoku.SudokuCodec(),
              dev.strata.propose.ArProposer.Decoding.sampling(1.0, false));
    }
    var o =
        new dev.strata.bench.reasoning.SudokuEbmTraining.Options(
            energyModel.toString(),
            Math.min(pool, 4096),
            arNegatives,
            4,
            8,
            dev.strata.bench.reasoning.SudokuEbmTraining.Options.recipe(
                minutes * 60, steps, 16, lr, seed, dir, progress.bar()));
    var r =
        dev.strata.bench.reasoning.SudokuEbmTraining.run(
            o, ar, trainPool, valPool.subList(0, 128), msg -> System.err.println(msg));
    var c = r.calibration();
    System.out.printf(
        "sudoku %s energy (%,d params): %d steps in %.0f s, loss %.4f; held-out: solution below a 1-cell "
            + "perturbation %.1f%%, %s (%s)%n",
        energyModel,
        r.params(),
        r.steps(),
        r.seconds(),
        r.loss(),
        100 * r.rankVsPerturbed(),
        Double.isNaN(r.rankVsAr())
            ? "no proposer samples to rank against (--ar-negatives 0)"
            : String.format("below the proposer's own samples %.1f%%", 100 * r.rankVsAr()),
        r.stop().name().toLowerCase());
    System.out.printf(
        "calibration on %d held-out puzzles: solutions ≤ %.3f, perturbations ≥ %.3f (%s); accept below %.3f%s%n",
        c.puzzles(),
        c.maxSolutionEnergy(),
        c.minPerturbedEnergy(),
        c.separated() ? "separated" : "overlapping",
        c.acceptBelow(),
        Double.isNaN(c.pairThreshold())
            ? ""
            : String.format(
                "; pair weights in solutions ≤ %.3f, strongest new pair of a perturbation ≥ %.3f, conflict threshold %.3f",
                c.maxSolutionPair(), c.minConflictPair(), c.pairThreshold()));
    System.out.println("checkpoint: " + r.checkpoint());
  }

  /**
   * The residual energy of the path-star or Countdown proposer: a cross-encoder trained by ranking
   * NCE on generated problems.
   */
  private <P, X> void trainCrossEncoder(
      ResidualEnergyTraining.Task<P, X> t, ArProposer<P, X> ar, Path dir) {
    var o =
        new ResidualEnergyTraining.Options(
            Math.min(pool, 4096),
            256,
            arNegatives,
            4,
            ResidualEnergyTraining.Options.recipe(
                minutes * 60, steps, 16, lr, seed, evalEvery, dir, progress.bar()));
    var r =
        ResidualEnergyTraining.run(t, o, ArNegatives.sampled(ar), msg -> System.err.println(msg));
    var c = r.calibration();
    System.out.printf(
        "%s cross-encoder energy (%,d params): %d steps in %.0f s, loss %.4f; held-out (%d generated problems): "
            + "true answer below a perturbation %.1f%%, below the proposer's own wrong samples %.1f%%, lowest of all its "
            + "negatives %.1f%% (%s)%n",
        t.name(),
        r.params(),
        r.steps(),
        r.seconds(),
        r.loss(),
        c.problems(),
        100 * r.rankVsPerturbed(),
        100 * r.rankVsAr(),
        100 * r.top1(),
        r.stop().name().toLowerCase());
    System.out.printf(
        "calibration: true answers ≤ %.3f, wrong ones ≥ %.3f (%s); accept below %.3f (%.1f%% of true answers)%n",
        c.maxTrueEnergy(),
        c.minWrongEnergy(),
        c.separated() ? "separated" : "overlapping",
        c.acceptBelow(),
        100 * c.trueAccepted());
    System.out.println("checkpoint: " + r.checkpoint());
  }

  private void report(ArTraining.Outcome r, Path dir) {
    Path plot = TrainingPlots.arProposer(dir, task.toString());
    System.out.printf(
        "%s AR proposer (%,d params): %d steps in %.0f s, train loss %.4f, validation loss %.4f, "
            + "validation answer-token accuracy %.2f%% (teacher-forced) (%s)%n",
        task,
        r.params(),
        r.steps(),
        r.seconds(),
        r.trainLoss(),
        r.valLoss(),
        100 * r.valTokenAccuracy(),
        r.stop().name().toLowerCase());
    System.out.println("checkpoint: " + r.checkpoint());
    System.out.println("metrics:    " + r.metrics());
    if (plot != null) System.out.println("plot:       " + plot);
  }

  /** The proposers' recipe: the options, cosine to lr/10 after 100 warm-up steps, decay 0.1. */
  private Recipe proposerRecipe(Path dir) {
    return new Recipe(
        minutes * 60,
        steps,
        batch,
        lr,
        lr / 10,
        100,
        0.1,
        1.0,
        seed,
        evalEvery,
        dir,
        progress.bar());
  }
}
