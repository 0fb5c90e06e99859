package dev.strata.cli;

import dev.strata.bench.reasoning.AnytimeBench;
import dev.strata.bench.reasoning.AnytimeEnergy;
import dev.strata.bench.reasoning.AnytimeProposer;
import dev.strata.bench.reasoning.AnytimeSearch;
import dev.strata.bench.reasoning.ReasoningTask;
import dev.strata.train.ResultJson;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bench anytime --task sudoku}: accuracy against compute (energy evaluations per
 * problem) for every proposer × energy × search of a reasoning task ({@link AnytimeBench}).
 */
@Command(
    name = "anytime",
    mixinStandardHelpOptions = true,
    description = {
      "Accuracy against compute for every proposer x energy x search on a reasoning task's shared"
          + " test set: a table (accuracy at each budget of energy evaluations per problem, CPU"
          + " seconds, evaluations and proposals per problem at the largest), a JSON with every"
          + " point (accuracy, Wilson 95%% interval, mean evaluations used, CPU seconds and"
          + " proposals) and a plot per test set (accuracy vs evaluations, log x; the complete"
          + " search's mean cost with the rule energy marked). The headline: the smallest budget"
          + " from which the best combination with a learned part stays at 99%% or more, against the uniform"
          + " proposer with the rule energy under the same search.",
      "Method: each combination runs ONCE per problem at the largest budget; the energy is"
          + " wrapped in a recorder that sees every candidate scored, in order. The answer at"
          + " budget b is the lowest-energy candidate among the first b evaluations (what the"
          + " search returns when stopped at b: each keeps the best it saw; importance resampling"
          + " draws one with weight exp(-E/tau) among them), checked by the task's rules. Exact"
          + " for the complete and repair searches; for the batched searches the last batch of a"
          + " run at b would be clamped, so the curve is statistically equivalent (exact at"
          + " multiples of the batch, "
          + AnytimeSearch.BATCH
          + "). CPU at b: process CPU (all"
          + " threads) until the energy call holding the b-th evaluation ended. The complete"
          + " search counts only its leaves as evaluations (propagation is free), so read its"
          + " proposals and CPU too.",
      "Combinations that do not apply (no single-site moves, no remasking, no value head, no"
          + " checkpoint) are left out with the reason."
    })
final class BenchAnytimeCommand implements Runnable {
  @Option(names = "--task", required = true, description = "${COMPLETION-CANDIDATES}")
  ReasoningTask task;

  @Option(
      names = "--proposers",
      split = ",",
      defaultValue = "uniform,ar,diffusion",
      description = "proposers to sweep, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  List<AnytimeProposer> proposers;

  @Option(
      names = "--energies",
      split = ",",
      defaultValue = "rule,learned",
      description = "energies to sweep, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  List<AnytimeEnergy> energies;

  @Option(
      names = "--searches",
      split = ",",
      defaultValue =
          "best-of-n,importance,metropolis,min-conflict,gibbs,remask,value-beam,complete",
      description = "searches to sweep, of ${COMPLETION-CANDIDATES} (default: all)")
  List<AnytimeSearch> searches;

  @Option(
      names = "--budgets",
      split = ",",
      defaultValue = "1,4,16,64,256,1024",
      description =
          "energy evaluations per problem, ascending; every combination runs once at the largest"
              + " (default: ${DEFAULT-VALUE})")
  List<Long> budgets;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "problems of each test set, the first ones (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--data",
      defaultValue = "../shared/data",
      description = "folder of the shared data sets (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--ar-checkpoint",
      description = "trained AR proposer (default: runs/<task>-ar when it exists)")
  Path arCheckpoint;

  @Option(
      names = "--diffusion-checkpoint",
      description =
          "trained masked-diffusion proposer (sudoku, countdown); without it the diffusion rows"
              + " are left out")
  Path diffusionCheckpoint;

  @Option(
      names = "--energy-checkpoint",
      description = "trained energy for the learned rows (default: runs/<task>-ebm when it exists)")
  Path energyCheckpoint;

  @Option(
      names = "--checkpoint",
      description =
          "<proposer>=<run>: a trained proposer's checkpoint by name, for proposers without an"
              + " option of their own")
  Map<String, Path> checkpoints = new LinkedHashMap<>();

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "wall-time safety limit of one run (default: ${DEFAULT-VALUE})")
  double seconds;

  @Mixin SeedOption seed;

  @Mixin ProgressOption progress;

  @Option(
      names = "--out",
      description =
          "output prefix: <out>.json and <out>.png (<out>-<set>.png per test set for pathstar)"
              + " (default: runs/bench/anytime-<task>)")
  Path out;

  @Override
  public void run() {
    Map<AnytimeProposer, Path> ckpts = new EnumMap<>(AnytimeProposer.class);
    checkpoints.forEach((name, path) -> ckpts.put(proposer(name), path));
    if (arCheckpoint != null) ckpts.put(AnytimeProposer.AR, arCheckpoint);
    if (diffusionCheckpoint != null) ckpts.put(AnytimeProposer.DIFFUSION, diffusionCheckpoint);
    var o =
        new AnytimeBench.Options(
            task,
            List.copyOf(proposers),
            List.copyOf(energies),
            List.copyOf(searches),
            budgets.stream().mapToLong(Long::longValue).toArray(),
            limit,
            data,
            ckpts,
            energyCheckpoint,
            seed.seed,
            seconds);
    Path prefix = out != null ? out : Path.of("runs", "bench", "anytime-" + task);
    Path json = prefix.resolveSibling(prefix.getFileName() + ".json");
    AnytimeBench.Result r =
        AnytimeBench.run(
            o,
            msg -> System.err.println("bench: " + msg),
            progress.bar(),
            partial -> ResultJson.write(json, partial));
    System.out.print(r.text());
    BenchJson.write(json, r.json());
    for (Path png : AnytimeBench.plot(prefix, task, r.sets())) System.out.println("wrote " + png);
  }

  private static AnytimeProposer proposer(String name) {
    for (AnytimeProposer p : AnytimeProposer.values()) if (p.toString().equals(name)) return p;
    throw new IllegalArgumentException(
        "unknown proposer '"
            + name
            + "' in --checkpoint; choose "
            + Choices.list(AnytimeProposer.class));
  }
}
