package dev.strata.cli;

import dev.strata.bench.reasoning.LayeredSudokuSolver;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.Proposer;
import dev.strata.search.Outcome;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuSolver;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.tasks.sudoku.UniformSudokuProposer;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata solve …}: solve one problem with the layered system and show the evidence. */
@Command(
    name = "solve",
    mixinStandardHelpOptions = true,
    description = "Solve one problem: proposer + energy + search.",
    subcommands = {
      SolveCommand.Sudoku.class,
      SolveCommand.PathStarProblem.class,
      SolveCommand.CountdownProblem.class
    })
final class SolveCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code strata solve sudoku "<81 chars>"}. */
  @Command(
      name = "sudoku",
      mixinStandardHelpOptions = true,
      description =
          "Solve a 9×9 Sudoku: proposals judged by the rule energy, then the proposer-guided complete search.")
  static final class Sudoku implements java.util.concurrent.Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "PUZZLE",
        description = "81 characters, row by row: 1-9 for givens, 0 or . for blanks")
    String puzzle;

    @Option(
        names = "--checkpoint",
        description =
            "a trained AR proposer (strata train reasoning --task sudoku); "
                + "default: uniform random proposals")
    Path checkpoint;

    @Option(
        names = "--samples",
        defaultValue = "8",
        description = "proposals judged by the rule energy before the complete search")
    int samples;

    @Option(
        names = "--guides",
        defaultValue = "16",
        description = "proposer completions the complete search may ask for")
    int guides;

    @Option(
        names = "--seconds",
        defaultValue = "10",
        description = "time budget (default: ${DEFAULT-VALUE})")
    double seconds;

    @Mixin SeedOption seed;

    /**
     * 0 when solved, 1 when the budget ran out first; user mistakes exit 2 through {@link
     * UserErrors}.
     */
    @Override
    public Integer call() {
      SudokuGrid grid = SudokuGrid.parse(puzzle);
      String problem = LayeredSudokuSolver.problemWith(grid);
      if (problem != null) throw new IllegalArgumentException(problem);
      if (samples < 0 || !(seconds > 0))
        throw new IllegalArgumentException("--samples must be ≥ 0 and --seconds positive");
      Proposer<SudokuGrid, SudokuGrid> proposer;
      String proposerName;
      if (checkpoint != null) {
        ArTraining.Loaded m = ArTraining.load(checkpoint, SudokuTraining.TASK);
        proposer =
            new ArProposer<>(
                m.model(), new SudokuCodec(), new ArProposer.Decoding(1.0, 0, true, 64));
        proposerName =
            "AR transformer ("
                + m.model().parameterCount()
                + " params, step "
                + m.step()
                + "), masked sampling at temperature 1";
      } else {
        proposer = new UniformSudokuProposer();
        proposerName = "uniform random digits (no --checkpoint)";
      }
      var r =
          new LayeredSudokuSolver(
                  samples, guides, Duration.ofMillis((long) (seconds * 1000)), seed.seed)
              .solve(grid, proposer);
      Outcome<SudokuGrid> o = r.outcome();
      System.out.println("puzzle (" + grid.filled() + " givens):");
      System.out.print(grid.pretty());
      System.out.println(o.accepted() ? "\nsolution:" : "\nbest candidate (not a solution):");
      System.out.print(o.best() == null ? "(none)\n" : o.best().pretty());
      System.out.println(o.best() == null ? "" : o.best().toString());
      System.out.println("energy:    " + o.breakdown());
      System.out.println("proposer:  " + proposerName);
      String stage =
          switch (r.stage()) {
            case 0 -> "best-of-" + samples + " under the rule energy";
            case 1 -> "proposer-guided complete search (propagation + DFS)";
            default -> "none";
          };
      System.out.printf(
          "search:    solved by %s; %d proposals, %d energy evaluations, %.1f ms, stop: %s%n",
          stage,
          o.proposals(),
          o.energyEvaluations(),
          o.wallTime().toNanos() / 1e6,
          o.stop().name().toLowerCase());
      float[] t = o.trace();
      if (t.length > 0) {
        System.out.printf(
            "trace:     %d iterations, best energy %s → %s%n",
            t.length, fmt(t[0]), fmt(t[t.length - 1]));
      }
      if (o.accepted() && SudokuSolver.countSolutions(grid, 2) > 1) {
        System.out.println(
            "note:      this puzzle has more than one solution; this is one of them");
      }
      if (!o.accepted()) {
        System.err.println(
            "strata: no solution found within the budget ("
                + o.stop().name().toLowerCase()
                + "); try more --seconds");
        return 1;
      }
      return 0;
    }

    private static String fmt(float e) {
      return e == Math.rint(e) ? Integer.toString((int) e) : String.format("%.3g", e);
    }
  }

  /** {@code strata solve pathstar "<edges/start,goal>"}. */
  @Command(
      name = "pathstar",
      mixinStandardHelpOptions = true,
      description =
          "Find the start-to-goal path of a path-star graph: the AR proposer's path first, then the complete "
              + "search over the first step, judged by the rule energy.")
  static final class PathStarProblem implements java.util.concurrent.Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "PROBLEM",
        description =
            "edges/start,goal as in the published files, e.g. 2,8|5,2|5,9|9,3/5,8 "
                + "(an '=path' tail is ignored)")
    String problem;

    @Option(
        names = "--checkpoint",
        description =
            "a trained AR proposer (strata train reasoning --task pathstar); default: none "
                + "(the search alone)")
    Path checkpoint;

    @Mixin SeedOption seed;

    @Override
    public Integer call() {
      var ex =
          dev.strata.tasks.pathstar.PathStar.parse(
              problem.contains("=") ? problem.substring(0, problem.indexOf('=')) : problem);
      var p = ex.problem();
      boolean goalIsLeaf =
          p.children(p.goal()).length == 0
              && java.util.Arrays.stream(p.edges()).anyMatch(e -> e[1] == p.goal());
      if (!goalIsLeaf)
        throw new IllegalArgumentException(
            "the goal " + p.goal() + " is not the end of an arm of this graph");
      Proposer<dev.strata.tasks.pathstar.PathStar, int[]> proposer;
      String name;
      if (checkpoint != null) {
        ArTraining.Loaded m = ArTraining.load(checkpoint, "pathstar");
        proposer =
            new ArProposer<>(
                m.model(),
                new dev.strata.tasks.pathstar.PathStarCodec(m.spec().lm().vocab() - 2),
                ArProposer.Decoding.greedy(true).withBatch(1));
        name =
            "AR transformer ("
                + m.model().parameterCount()
                + " params, step "
                + m.step()
                + "), masked greedy";
      } else {
        proposer =
            new dev.strata.propose.Proposer<>() { // no model: no preference, the search alone
              public java.util.List<int[]> propose(
                  dev.strata.tasks.pathstar.PathStar q, int n, dev.strata.propose.RandomSource r) {
                return java.util.List.of();
              }

              public java.util.List<int[]> complete(
                  dev.strata.tasks.pathstar.PathStar q,
                  int[] partial,
                  int n,
                  dev.strata.propose.RandomSource r) {
                return java.util.List.of();
              }
            };
        name = "none (no --checkpoint): the search alone";
      }
      var rules = new dev.strata.tasks.pathstar.PathStarRules();
      Outcome<int[]> o =
          new dev.strata.search.GuidedDepthFirst<>(
                  new dev.strata.tasks.pathstar.PathStarConstraints(), seed.seed)
              .run(
                  p,
                  proposer,
                  rules,
                  new dev.strata.search.Budget(64, 10_000, Duration.ofSeconds(10), 0));
      System.out.printf(
          "graph: D=%d arms of %d nodes, start %d, goal %d%n",
          p.degree(), p.pathLength(), p.start(), p.goal());
      System.out.println(
          (o.accepted() ? "path:      " : "best path (wrong): ")
              + (o.best() == null
                  ? "(none)"
                  : p.format(o.best()).substring(p.format(null).length() + 1)));
      System.out.println("energy:    " + o.breakdown());
      System.out.println("proposer:  " + name);
      System.out.printf(
          "search:    %d proposals, %d energy evaluations, %.2f ms, stop: %s%n",
          o.proposals(),
          o.energyEvaluations(),
          o.wallTime().toNanos() / 1e6,
          o.stop().name().toLowerCase());
      return o.accepted() ? 0 : 1;
    }
  }

  /** {@code strata solve countdown "58,11,80,83,81"}. */
  @Command(
      name = "countdown",
      mixinStandardHelpOptions = true,
      description =
          "Reach the target (last number) from the others with + - * /: the AR proposer's answer first, then the "
              + "exhaustive search over steps, judged by the rule energy.")
  static final class CountdownProblem implements java.util.concurrent.Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "PROBLEM",
        description = "numbers then target, comma-separated, e.g. 58,11,80,83,81")
    String problem;

    @Option(
        names = "--checkpoint",
        description =
            "a trained AR proposer (strata train reasoning --task countdown); default: none")
    Path checkpoint;

    @Mixin SeedOption seed;

    @Override
    public Integer call() {
      var p = dev.strata.tasks.countdown.Countdown.parse(problem);
      if (p.numbers().length != 4)
        throw new IllegalArgumentException(
            "Countdown-4 takes 4 numbers and a target, got " + p.numbers().length + " numbers");
      Proposer<dev.strata.tasks.countdown.Countdown, String> proposer;
      String name;
      if (checkpoint != null) {
        ArTraining.Loaded m = ArTraining.load(checkpoint, "countdown");
        proposer =
            new ArProposer<>(
                m.model(),
                new dev.strata.tasks.countdown.CountdownCodec(),
                ArProposer.Decoding.greedy(false).withBatch(1));
        name =
            "AR transformer ("
                + m.model().parameterCount()
                + " params, step "
                + m.step()
                + "), greedy";
      } else {
        proposer =
            new Proposer<>() {
              public java.util.List<String> propose(
                  dev.strata.tasks.countdown.Countdown q,
                  int n,
                  dev.strata.propose.RandomSource r) {
                return java.util.List.of();
              }

              public java.util.List<String> complete(
                  dev.strata.tasks.countdown.Countdown q,
                  String partial,
                  int n,
                  dev.strata.propose.RandomSource r) {
                return java.util.List.of();
              }
            };
        name = "none (no --checkpoint): the search alone";
      }
      Outcome<String> o =
          new dev.strata.search.GuidedDepthFirst<>(
                  new dev.strata.tasks.countdown.CountdownConstraints(), seed.seed)
              .run(
                  p,
                  proposer,
                  new dev.strata.tasks.countdown.CountdownRules(),
                  new dev.strata.search.Budget(8, 100_000, Duration.ofSeconds(10), 0));
      if (!o.accepted() && o.stop() == Outcome.StopReason.EXHAUSTED) {
        throw new IllegalArgumentException(
            "no solution: "
                + p.target()
                + " cannot be reached from "
                + p.toString().substring(0, p.toString().lastIndexOf(',')));
      }
      System.out.println((o.accepted() ? "answer:    " : "best (wrong): ") + o.best());
      System.out.println("energy:    " + o.breakdown());
      System.out.println("proposer:  " + name);
      System.out.printf(
          "search:    %d proposals, %d energy evaluations, %.2f ms, stop: %s%n",
          o.proposals(),
          o.energyEvaluations(),
          o.wallTime().toNanos() / 1e6,
          o.stop().name().toLowerCase());
      return o.accepted() ? 0 : 1;
    }
  }
}
