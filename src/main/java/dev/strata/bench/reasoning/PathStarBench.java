package dev.strata.bench.reasoning;

import dev.strata.energy.Energy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.Outcome;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarConstraints;
import dev.strata.tasks.pathstar.PathStarRules;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The path-star benchmark: on a published test file, AR greedy (teacher-forced AR, the setting
 * where Bachmann &amp; Nagarajan find chance accuracy 1/D), AR greedy with the graph mask, and AR +
 * rule energy + search (the complete search over the first step, the AR's choice first, judged by
 * {@link PathStarRules}); with a learned energy ({@link #runLearned}) also best-of-N by the learned
 * energy (with and without the graph mask) and the graph-constrained search with the learned energy
 * as its goal check, where the learned energy picks the answer and the rules only judge it
 * afterwards.
 */
public final class PathStarBench {

  public record MethodResult(
      String method,
      int problems,
      int solved,
      double accuracy,
      double cpuSecondsPerSolved,
      double meanProposals,
      double meanEnergyEvaluations) {}

  public record SetResult(
      String set,
      int degree,
      int pathLength,
      int problems,
      double chance,
      List<MethodResult> methods) {}

  private final ArProposer<PathStar, int[]> ar;
  private final long seed;
  private final Consumer<String> log;

  public PathStarBench(ArProposer<PathStar, int[]> ar, long seed, Consumer<String> log) {
    this.ar = ar;
    this.seed = seed;
    this.log = log;
  }

  private static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  public SetResult run(String set, List<PathStar.Example> examples) {
    List<PathStar> problems = examples.stream().map(PathStar.Example::problem).toList();
    int n = problems.size();
    List<MethodResult> methods = new ArrayList<>();
    for (boolean masked : new boolean[] {false, true}) {
      double c0 = cpu();
      var out =
          ar.with(ArProposer.Decoding.greedy(masked))
              .sample(problems, null, new RandomSource(seed));
      int ok = 0;
      for (int i = 0; i < n; i++)
        if (PathStarRules.solves(problems.get(i), out.get(i).candidate())) ok++;
      double t = cpu() - c0;
      methods.add(
          new MethodResult(
              masked ? "AR greedy + graph mask" : "AR greedy",
              n,
              ok,
              (double) ok / n,
              ok == 0 ? Double.NaN : t / ok,
              1,
              0));
      log.accept(set + ": " + methods.get(methods.size() - 1).method() + " " + ok + "/" + n);
    }
    double c0 = cpu();
    var guide = ar.with(ArProposer.Decoding.greedy(true).withBatch(1));
    var dfs = new GuidedDepthFirst<>(new PathStarConstraints(), seed);
    PathStarRules rules = new PathStarRules();
    int ok = 0;
    long proposals = 0;
    long evaluations = 0;
    for (int i = 0; i < n; i++) {
      Outcome<int[]> o =
          dfs.run(problems.get(i), guide, rules, new Budget(64, 10_000, Duration.ofSeconds(10), 0));
      proposals += o.proposals();
      evaluations += o.energyEvaluations();
      if (o.accepted() && PathStarRules.solves(problems.get(i), o.best())) ok++;
    }
    double t = cpu() - c0;
    methods.add(
        new MethodResult(
            "AR + rule energy + search",
            n,
            ok,
            (double) ok / n,
            ok == 0 ? Double.NaN : t / ok,
            (double) proposals / n,
            (double) evaluations / n));
    log.accept(set + ": layered " + ok + "/" + n);
    PathStar first = problems.get(0);
    return new SetResult(set, first.degree(), first.pathLength(), n, 1.0 / first.degree(), methods);
  }

  /**
   * The learned-energy rows (the energy never sees the rules; they judge the chosen answer
   * afterwards), named for what else they use: best-of-N — N AR samples, the lowest learned energy
   * wins, once under the graph mask (every step follows an edge: the hand-written graph constraint)
   * and once without it; and "graph-constrained search + learned goal check" — the complete search
   * of the rule row (every arm path the edges allow, the AR's first) with every leaf scored by the
   * learned energy and none accepted early, so the answer is the arm path of lowest learned energy:
   * the edges are the rules' and the energy only checks which arm reaches the goal.
   */
  public List<MethodResult> runLearned(
      String set, List<PathStar> problems, Energy<PathStar, int[]> learned, int samples) {
    int n = problems.size();
    List<MethodResult> methods = new ArrayList<>();
    if (samples > 0) {
      methods.add(bestOfN(set, problems, learned, samples, true));
      methods.add(bestOfN(set, problems, learned, samples, false));
    }
    double c0 = cpu();
    var guide = ar.with(ArProposer.Decoding.greedy(true).withBatch(1));
    var dfs = new GuidedDepthFirst<>(new PathStarConstraints(), seed);
    int ok = 0;
    long proposals = 0;
    long evaluations = 0;
    for (int i = 0; i < n; i++) {
      Outcome<int[]> o =
          dfs.run(
              problems.get(i),
              guide,
              learned,
              new Budget(64, 10_000, Duration.ofSeconds(10), Double.NEGATIVE_INFINITY));
      proposals += o.proposals();
      evaluations += o.energyEvaluations();
      if (o.best() != null && PathStarRules.solves(problems.get(i), o.best())) ok++;
    }
    double t = cpu() - c0;
    methods.add(
        new MethodResult(
            "graph-constrained search + learned goal check",
            n,
            ok,
            (double) ok / n,
            ok == 0 ? Double.NaN : t / ok,
            (double) proposals / n,
            (double) evaluations / n));
    log.accept(set + ": graph-constrained search + learned goal check " + ok + "/" + n);
    return methods;
  }

  /** N AR samples per problem (under the graph mask or not), the lowest learned energy chosen. */
  private MethodResult bestOfN(
      String set,
      List<PathStar> problems,
      Energy<PathStar, int[]> learned,
      int samples,
      boolean masked) {
    int n = problems.size();
    double c0 = cpu();
    List<PathStar> repeated = new ArrayList<>(n * samples);
    for (PathStar p : problems) for (int k = 0; k < samples; k++) repeated.add(p);
    var drawn =
        ar.with(ArProposer.Decoding.sampling(1.0, masked))
            .sample(repeated, null, new RandomSource(seed + (masked ? 5 : 6)));
    int ok = 0;
    for (int i = 0; i < n; i++) {
      List<int[]> c = new ArrayList<>();
      for (int k = 0; k < samples; k++) c.add(drawn.get(i * samples + k).candidate());
      float[] e = learned.energies(problems.get(i), c);
      int best = 0;
      for (int k = 1; k < e.length; k++) if (e[k] < e[best]) best = k;
      if (PathStarRules.solves(problems.get(i), c.get(best))) ok++;
    }
    double t = cpu() - c0;
    String method =
        (masked ? "AR + graph mask" : "AR, no mask")
            + ", best-of-"
            + samples
            + " by learned energy";
    log.accept(set + ": " + method + " " + ok + "/" + n);
    return new MethodResult(
        method, n, ok, (double) ok / n, ok == 0 ? Double.NaN : t / ok, samples, samples);
  }
}
