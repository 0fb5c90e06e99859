package dev.strata.cli;

import dev.strata.bench.reasoning.ExpertSearch;
import dev.strata.bench.reasoning.ExpertTask;
import dev.strata.bench.reasoning.ProposerMethod;
import dev.strata.bench.reasoning.SupervisedBaseline;
import dev.strata.report.ExpertPlots;
import dev.strata.search.ExpertIteration;
import dev.strata.search.ExpertRound;
import dev.strata.search.RlooRounds;
import dev.strata.search.SupervisedRounds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata train expert}: a trained AR proposer improved by expert iteration with the rule
 * energy as verifier, or by the supervised baseline at the same CPU seconds.
 */
@Command(
    name = "expert",
    mixinStandardHelpOptions = true,
    description = {
      "Improve a trained AR proposer by expert iteration: each round samples answers to unlabelled"
          + " generated problems, keeps those the rule energy accepts after a budgeted search, and"
          + " fine-tunes on them (no generated solution is read). --method supervised trains the"
          + " same proposer on generated solutions for the CPU seconds a finished expert run's"
          + " rounds took (--match), the baseline at equal compute. --method rloo trains it by"
          + " reinforcement learning instead: each of --steps steps per round samples K answers to"
          + " --batch generated problems, rewards them with the rule energy (1 if accepted) and"
          + " takes one RLOO policy-gradient step, KL-regularised to the starting proposer.",
      "Per round: held-out pass@1 (greedy), pass@K (K samples) and the search's accuracy and"
          + " energy evaluations; <out>/expert.json and plots expert-rounds.png, expert-cpu.png,"
          + " expert-effort.png."
    })
final class TrainExpertCommand implements Runnable {
  @Option(names = "--task", required = true, description = "${COMPLETION-CANDIDATES}")
  ExpertTask task;

  @Option(
      names = "--method",
      defaultValue = "expert-iteration",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  ProposerMethod method;

  @Option(
      names = "--proposer",
      description = "the trained AR proposer to start from (default: runs/<task>-ar)")
  Path proposer;

  @Option(
      names = "--match",
      description =
          "--method supervised: the expert-iteration or RLOO run whose rounds' CPU seconds and"
              + " settings to match")
  Path match;

  @Option(names = "--rounds", defaultValue = "5", description = "default: ${DEFAULT-VALUE}")
  int rounds;

  @Option(
      names = "--problems",
      defaultValue = "2000",
      description =
          "unlabelled generated problems per round (default: ${DEFAULT-VALUE}; --method rloo draws"
              + " --steps × --batch)")
  int problems;

  @Option(
      names = "--samples",
      defaultValue = "8",
      description = "K, answers sampled per problem (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(
      names = "--budget",
      description =
          "energy evaluations the search may spend per problem; its proposals are the K samples"
              + " (default: --samples)")
  Long budget;

  @Option(
      names = "--search",
      defaultValue = "best-of",
      description =
          "${COMPLETION-CANDIDATES}: best-of-K over the samples, or the complete search"
              + " (propagation + depth-first, the samples tried first) (default: ${DEFAULT-VALUE})")
  ExpertSearch search;

  @Option(
      names = "--start",
      defaultValue = "base",
      description =
          "${COMPLETION-CANDIDATES}: each round fine-tunes the starting proposer (ReST-EM) or the"
              + " previous round's (default: ${DEFAULT-VALUE})")
  ExpertIteration.Start start;

  @Option(
      names = "--epochs",
      defaultValue = "2",
      description = "passes over the accepted answers per round (default: ${DEFAULT-VALUE})")
  double epochs;

  @Option(
      names = "--batch",
      defaultValue = "64",
      description =
          "examples per fine-tuning step; --method rloo: problems per RL step, each with K samples"
              + " (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "--method rloo: RL steps per round (default: ${DEFAULT-VALUE})")
  long steps;

  @Option(
      names = "--kl",
      defaultValue = "0.05",
      description =
          "--method rloo: weight of the KL to the starting proposer (0: none; default:"
              + " ${DEFAULT-VALUE})")
  double kl;

  @Option(
      names = "--shaping",
      defaultValue = "0",
      description =
          "--method rloo: reward 1 if accepted plus this times −energy (default: ${DEFAULT-VALUE})")
  double shaping;

  @Option(
      names = "--clip",
      defaultValue = "0.2",
      description = "--method rloo: ε of the clipped ratio (default: ${DEFAULT-VALUE})")
  double clip;

  @Option(
      names = "--lr",
      description =
          "peak learning rate of each round, cosine to a tenth (default: 5e-4; --method rloo: 5e-5,"
              + " since a policy-gradient step from a trained proposer at 5e-4 collapses it)")
  Double lr;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "sampling temperature (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(
      names = "--eval-samples",
      description = "K of the held-out pass@K and search (default: --samples)")
  Integer evalSamples;

  @Option(
      names = "--eval-limit",
      defaultValue = "0",
      description = "held-out problems: the first N of the file (0: all, the default)")
  int evalLimit;

  @Option(
      names = "--held-out",
      description =
          "held-out file (default: <data>/countdown-cd4/cd4_test.jsonl or"
              + " <data>/sudoku-diffusion-vs-ar/sudoku_test.csv)")
  Path heldOut;

  @Option(
      names = "--data",
      defaultValue = "../shared/data",
      description = "folder of the shared data sets (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--givens",
      defaultValue = "26-40",
      description = "sudoku: givens of the generated puzzles (default: ${DEFAULT-VALUE})")
  String givens;

  @Option(
      names = "--pool",
      defaultValue = "20000",
      description =
          "sudoku, --method supervised: generated puzzles with solutions (default: ${DEFAULT-VALUE})")
  int pool;

  @Mixin SeedOption seedOption;

  @Option(names = "--out", description = "run directory (default: runs/<task>-expert)")
  Path out;

  @Option(names = "--resume", description = "continue after the last completed round in --out")
  boolean resume;

  @Mixin ProgressOption progress;

  @Override
  public void run() {
    if (!givens.matches("\\d+-\\d+"))
      throw new IllegalArgumentException("--givens must look like 26-40, got " + givens);
    int lo = Integer.parseInt(givens.split("-")[0]);
    int hi = Integer.parseInt(givens.split("-")[1]);
    if (lo < 17 || hi > 80 || lo > hi)
      throw new IllegalArgumentException(
          "--givens must lie within 17-80, low ≤ high; got " + givens);
    if (evalLimit < 0)
      throw new IllegalArgumentException("--eval-limit must be ≥ 0, got " + evalLimit);
    Path from = proposer != null ? proposer : task.defaultProposer();
    Path file = heldOut != null ? heldOut : task.defaultHeldOut(data);
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException(
          "held-out file not found: " + file + " (pass --held-out or --data)");
    ExpertIteration.Result r;
    Path dir;
    if (method == ProposerMethod.SUPERVISED) {
      if (match == null)
        throw new IllegalArgumentException(
            "--method supervised needs --match <an expert-iteration run directory>");
      dir = out != null ? out : Path.of("runs", task + "-supervised");
      r =
          SupervisedBaseline.run(
              task,
              file,
              evalLimit,
              pool,
              lo,
              hi,
              from,
              match,
              dir,
              resume,
              progress.bar(),
              System.err::println);
    } else {
      if (rounds <= 0)
        throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
      if (budget != null && budget <= 0)
        throw new IllegalArgumentException(
            "--budget must be positive (energy evaluations per problem), got " + budget);
      boolean rloo = method == ProposerMethod.RLOO;
      RlooRounds.Settings rl = rloo ? new RlooRounds.Settings(steps, kl, shaping, clip) : null;
      if (rloo && batch <= 0) // before --problems = --steps × --batch is checked
      throw new IllegalArgumentException("--batch must be positive, got " + batch);
      var config =
          new ExpertIteration.Config(
              task.toString(),
              rounds,
              rloo ? (int) Math.min(Integer.MAX_VALUE, steps * batch) : problems,
              samples,
              temperature,
              budget != null ? budget : samples,
              search.toString(),
              rloo ? ExpertIteration.Start.PREVIOUS : start, // RL continues its own policy
              epochs,
              batch,
              lr != null ? lr : rloo ? 5e-5 : 5e-4,
              evalSamples != null ? evalSamples : samples,
              seedOption.seed,
              rl);
      dir = out != null ? out : rloo ? Path.of("runs", task + "-rloo") : task.defaultRunDir();
      r =
          task.run(
              config,
              search,
              file,
              evalLimit,
              lo,
              hi,
              from,
              dir,
              resume,
              progress.bar(),
              System.err::println);
    }
    Map<String, ExpertPlots.Run> runs = new LinkedHashMap<>();
    runs.put(method.toString(), plotRun(r.rounds()));
    if (match != null && method == ProposerMethod.SUPERVISED)
      runs.put(
          (SupervisedRounds.matchedConfig(match).rl() != null
                  ? ProposerMethod.RLOO
                  : ProposerMethod.EXPERT_ITERATION)
              .toString(),
          plotRun(SupervisedRounds.matchedRounds(match)));
    int k = r.rounds().getFirst().heldOut().samples();
    List<Path> plots = ExpertPlots.write(dir, task + ": " + method, k, runs);
    ExpertRound last = r.rounds().getLast();
    System.out.printf(
        "%s %s: %d rounds, held-out pass@1 %.1f%% → %.1f%%, pass@%d %.1f%% → %.1f%%, %.0f training CPU s%s%n",
        task,
        method,
        last.round(),
        100 * r.rounds().getFirst().heldOut().pass1(),
        100 * last.heldOut().pass1(),
        k,
        100 * r.rounds().getFirst().heldOut().passK(),
        100 * last.heldOut().passK(),
        last.cumulativeCpuSeconds(),
        r.interrupted() ? " (interrupted; --resume continues)" : "");
    System.out.println("result: " + r.json());
    for (Path p : plots) System.out.println("plot:   " + p);
  }

  private static ExpertPlots.Run plotRun(List<ExpertRound> rounds) {
    int n = rounds.size();
    double[][] v = new double[6][n];
    for (int i = 0; i < n; i++) {
      ExpertRound r = rounds.get(i);
      v[0][i] = r.round();
      v[1][i] = r.cumulativeCpuSeconds();
      v[2][i] = r.heldOut().pass1();
      v[3][i] = r.heldOut().passK();
      v[4][i] = r.heldOut().searchSolved();
      v[5][i] = r.heldOut().meanEvaluations();
    }
    return new ExpertPlots.Run(v[0], v[1], v[2], v[3], v[4], v[5]);
  }
}
