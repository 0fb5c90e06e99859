package dev.strata.cli;

import dev.strata.bench.reasoning.ProposerKind;
import dev.strata.bench.reasoning.ReasoningBench;
import dev.strata.bench.reasoning.ReasoningTask;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bench reasoning --task sudoku}: a proposer (AR or masked diffusion) alone vs the
 * layered system on the unseen test sets.
 */
@Command(
    name = "reasoning",
    mixinStandardHelpOptions = true,
    description =
        "Compare AR greedy, AR best-of-N (likelihood), AR best-of-N (rule energy) and AR + rule energy + search "
            + "on the shared test sets (evaluation only); with --proposer diffusion the same rows for a masked-diffusion proposer "
            + "(easy-first, best-of-N, + rule energy + remask repair, + rule energy + search, and on sudoku with --energy the "
            + "learned-energy rows); prints a table, writes JSON and "
            + "an accuracy-vs-proposals plot.")
final class BenchReasoningCommand implements Runnable {
  @Option(names = "--task", required = true, description = "${COMPLETION-CANDIDATES}")
  ReasoningTask task;

  @Option(
      names = "--checkpoint",
      description =
          "trained proposer (default: runs/<task>-ar, or runs/<task>-diffusion with "
              + "--proposer diffusion)")
  Path checkpoint;

  @Option(
      names = "--proposer",
      defaultValue = "ar",
      description =
          "${COMPLETION-CANDIDATES}: the autoregressive proposer, or a masked-diffusion proposer "
              + "(strata train reasoning --task <task>-diffusion; sudoku and countdown) (default: ${DEFAULT-VALUE})")
  ProposerKind proposer;

  @Option(
      names = "--denoising-steps",
      defaultValue = "0",
      description =
          "diffusion: denoising steps of a whole answer (0: "
              + "the answer length, one token per step, easy-first)")
  int denoisingSteps;

  @Option(
      names = "--remask-width",
      defaultValue = "4",
      description =
          "diffusion: refills per round of remask repair " + "(default: ${DEFAULT-VALUE})")
  int remaskWidth;

  @Option(
      names = "--data",
      defaultValue = "../shared/data",
      description = "folder of the shared data sets (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      description = "puzzles of sudoku_test.csv (default: all ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--seventeen",
      defaultValue = "1000",
      description = "puzzles sampled from sudoku17.txt (0: skip)")
  int seventeen;

  @Option(
      names = "--samples",
      defaultValue = "16",
      description = "N of best-of-N (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(
      names = "--guides",
      defaultValue = "4",
      description =
          "AR completions the complete search may ask for per puzzle (default: ${DEFAULT-VALUE})")
  int guides;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "search time budget per puzzle (default: ${DEFAULT-VALUE})")
  double seconds;

  @Mixin SeedOption seed;

  @Option(
      names = "--hard",
      defaultValue = "1000",
      description =
          "sudoku: also solve all of tdoku's top1465 and this many "
              + "puzzles sampled from its forum-hardest list with the rule energy + complete search alone (0: skip)")
  int hard;

  @Option(
      names = "--energy",
      description =
          "a trained energy (strata train reasoning --task <task>-ebm) for the "
              + "<proposer> + learned energy rows (with --proposer diffusion: sudoku only)")
  Path energy;

  @Option(
      names = "--energy-evaluations",
      defaultValue = "512",
      description =
          "countdown: leaves the learned-energy search may "
              + "score per problem (default: ${DEFAULT-VALUE})")
  long energyEvaluations;

  @Option(
      names = "--energy-limit",
      defaultValue = "1000",
      description = "puzzles of each set for the learned-energy rows (default: ${DEFAULT-VALUE})")
  int energyLimit;

  @Option(
      names = "--repair-evaluations",
      defaultValue = "0",
      description =
          "learned-energy evaluations of min-conflict repair per puzzle (0: skip, the default)")
  int repairEvaluations;

  @Option(
      names = "--value-beam",
      defaultValue = "0",
      description =
          "sudoku: beam width of the value-guided beam rows (0: skip); "
              + "the prefix value is fitted first on generated puzzles, regressed onto the rule energy of the proposer's samples")
  int valueBeam;

  @Option(
      names = "--beta",
      defaultValue = "1.0",
      description = "weight of the prefix value in the beam score (default: ${DEFAULT-VALUE})")
  double beta;

  @Mixin ResultOption out = new ResultOption("runs/bench/reasoning-<task>.json");

  @Override
  public void run() {
    var o =
        new ReasoningBench.Options(
            task,
            proposer,
            checkpoint,
            denoisingSteps,
            remaskWidth,
            data,
            limit,
            seventeen,
            samples,
            guides,
            seconds,
            seed.seed,
            hard,
            energy,
            energyEvaluations,
            energyLimit,
            repairEvaluations,
            valueBeam,
            beta);
    ReasoningBench.Result r = ReasoningBench.run(o, msg -> System.err.println("bench: " + msg));
    System.out.print(r.text());
    Path json = out.json(o::defaultJson);
    BenchJson.write(json, r.json());
    if (task == ReasoningTask.SUDOKU) {
      Path png =
          json.resolveSibling(
              json.getFileName().toString().replace(".json", "") + "-accuracy-vs-proposals.png");
      ReasoningBench.plot(png, r.sudokuSets());
      System.out.println("wrote " + png);
    }
  }
}
