package dev.strata.bench.reasoning;

import dev.strata.energy.Energy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.Outcome;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownConstraints;
import dev.strata.tasks.countdown.CountdownRules;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Countdown-4 benchmark: AR greedy; AR best-of-N by rule energy; and AR + rule energy + search
 * (the AR's samples judged by {@link CountdownRules}, then the AR-guided exhaustive search over
 * steps). With a learned energy ({@link #runLearned}) also AR + learned energy, best-of-N and AR +
 * learned energy + search, where the learned energy alone picks the answer. Accuracy by the exact
 * verifier, afterwards.
 */
public final class CountdownBench {

  public record MethodResult(
      String method,
      int problems,
      int solved,
      double accuracy,
      double cpuSecondsPerSolved,
      double meanProposals,
      double meanEnergyEvaluations) {}

  private final ArProposer<Countdown, String> ar;
  private final int samples;
  private final int guides;
  private final long seed;
  private final Consumer<String> log;

  public CountdownBench(
      ArProposer<Countdown, String> ar, int samples, int guides, long seed, Consumer<String> log) {
    this.ar = ar;
    this.samples = samples;
    this.guides = guides;
    this.seed = seed;
    this.log = log;
  }

  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  public List<MethodResult> run(List<Countdown> problems) {
    int n = problems.size();
    List<MethodResult> out = new ArrayList<>();
    double c0 = cpu();
    var greedy =
        ar.with(ArProposer.Decoding.greedy(false)).sample(problems, null, new RandomSource(seed));
    int ok = 0;
    for (int i = 0; i < n; i++)
      if (CountdownRules.solves(problems.get(i), greedy.get(i).candidate())) ok++;
    out.add(
        new MethodResult(
            "AR greedy", n, ok, (double) ok / n, ok == 0 ? Double.NaN : (cpu() - c0) / ok, 1, 0));
    log.accept("countdown: AR greedy " + ok + "/" + n);

    if (samples > 0) {
      c0 = cpu();
      List<Countdown> repeated = new ArrayList<>();
      for (Countdown p : problems) for (int k = 0; k < samples; k++) repeated.add(p);
      var drawn =
          ar.with(ArProposer.Decoding.sampling(1.0, false))
              .sample(repeated, null, new RandomSource(seed + 1));
      ok = 0;
      for (int i = 0; i < n; i++) {
        boolean any = false;
        for (int k = 0; k < samples; k++)
          any |= CountdownRules.solves(problems.get(i), drawn.get(i * samples + k).candidate());
        if (any) ok++;
      }
      out.add(
          new MethodResult(
              "AR best-of-" + samples + " by rule energy",
              n,
              ok,
              (double) ok / n,
              ok == 0 ? Double.NaN : (cpu() - c0) / ok,
              samples,
              samples));
      log.accept("countdown: best-of-" + samples + " " + ok + "/" + n);
    }

    out.add(
        layered(
            "AR", problems, ar.with(ArProposer.Decoding.greedy(false).withBatch(1)), guides, seed));
    log.accept("countdown: layered " + out.get(out.size() - 1).solved() + "/" + n);
    return out;
  }

  /**
   * "{@code name} + rule energy + search": the complete search over steps, trying {@code guide}'s
   * completions first ({@code guides} of them per problem), every leaf judged by {@link
   * CountdownRules}.
   */
  static MethodResult layered(
      String name,
      List<Countdown> problems,
      Proposer<Countdown, String> guide,
      int guides,
      long seed) {
    int n = problems.size();
    double c0 = cpu();
    var rules = new CountdownRules();
    var dfs = new GuidedDepthFirst<>(new CountdownConstraints(), seed);
    int ok = 0;
    long proposals = 0;
    long evaluations = 0;
    for (int i = 0; i < n; i++) {
      Outcome<String> o =
          dfs.run(
              problems.get(i),
              guide,
              rules,
              new Budget(Math.max(1, guides), 100_000, Duration.ofSeconds(10), 0));
      proposals += o.proposals();
      evaluations += o.energyEvaluations();
      if (o.accepted() && CountdownRules.solves(problems.get(i), o.best())) ok++;
    }
    return new MethodResult(
        name + " + rule energy + search",
        n,
        ok,
        (double) ok / n,
        ok == 0 ? Double.NaN : (cpu() - c0) / ok,
        (double) proposals / n,
        (double) evaluations / n);
  }

  /**
   * The learned-energy rows (the energy never sees the rules; they judge the chosen answer
   * afterwards): best-of-N — N AR samples, the lowest learned energy wins; and search — the
   * AR-guided complete search of the rule row (every step a valid combination of available numbers)
   * with its leaves scored by the learned energy, stopping at the first leaf at or below {@code
   * acceptBelow} (the energy's calibrated threshold) or after {@code evaluations} leaves, the
   * answer the lowest-energy leaf seen. Every leaf is arithmetically valid by construction, so the
   * energy only picks which leaf hits the target; three references run the same search with the
   * same budget: a random energy (a random leaf of those visited), a constant one (the first leaf,
   * the proposer's guidance alone) and the rule energy (whether any leaf within the budget hits:
   * the ceiling of any energy at this budget).
   */
  public List<MethodResult> runLearned(
      List<Countdown> problems,
      Energy<Countdown, String> learned,
      double acceptBelow,
      long evaluations) {
    int n = problems.size();
    List<MethodResult> out = new ArrayList<>();
    if (samples > 0) {
      double c0 = cpu();
      List<Countdown> repeated = new ArrayList<>();
      for (Countdown p : problems) for (int k = 0; k < samples; k++) repeated.add(p);
      var drawn =
          ar.with(ArProposer.Decoding.sampling(1.0, false))
              .sample(repeated, null, new RandomSource(seed + 1));
      int ok = 0;
      for (int i = 0; i < n; i++) {
        List<String> c = new ArrayList<>();
        for (int k = 0; k < samples; k++) c.add(drawn.get(i * samples + k).candidate());
        float[] e = learned.energies(problems.get(i), c);
        int best = 0;
        for (int k = 1; k < e.length; k++) if (e[k] < e[best]) best = k;
        if (CountdownRules.solves(problems.get(i), c.get(best))) ok++;
      }
      out.add(
          new MethodResult(
              "AR + learned energy, best-of-" + samples,
              n,
              ok,
              (double) ok / n,
              ok == 0 ? Double.NaN : (cpu() - c0) / ok,
              samples,
              samples));
      log.accept("countdown: learned best-of-" + samples + " " + ok + "/" + n);
    }
    var budget = new Budget(Math.max(1, guides), evaluations, Duration.ofSeconds(10), acceptBelow);
    out.add(leafSearch("AR + learned energy + search", problems, i -> learned, budget));
    // chance references over the same leaves and budget: with no early acceptance the walk visits
    // the first `evaluations` leaves in the same order for any energy, and keeps the lowest
    Budget allLeaves = budget.withAcceptBelow(Double.NEGATIVE_INFINITY);
    out.add(
        leafSearch(
            "same search + random energy (a random leaf)",
            problems,
            i -> randomEnergy(seed * 1_000_003 + i),
            allLeaves));
    out.add(
        leafSearch(
            "same search + constant energy (the first leaf)",
            problems,
            i -> (p, c) -> new float[c.size()],
            allLeaves));
    out.add(
        leafSearch(
            "same search + rule energy (a hit among its leaves)",
            problems,
            i -> new CountdownRules(),
            budget.withAcceptBelow(0)));
    return out;
  }

  /** An energy of independent uniform draws: picking the lowest is picking a leaf at random. */
  static Energy<Countdown, String> randomEnergy(long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    return (p, candidates) -> {
      float[] e = new float[candidates.size()];
      for (int k = 0; k < e.length; k++) e[k] = (float) rng.nextDouble();
      return e;
    };
  }

  /**
   * The AR-guided complete search over steps (every leaf an arithmetically valid derivation from
   * the given numbers) with problem i's leaves scored by {@code energy.apply(i)}; the answer is the
   * first accepted leaf, else the lowest-energy leaf seen, checked by the rules afterwards.
   */
  MethodResult leafSearch(
      String method,
      List<Countdown> problems,
      java.util.function.IntFunction<Energy<Countdown, String>> energy,
      Budget budget) {
    int n = problems.size();
    double c0 = cpu();
    var guide = ar.with(ArProposer.Decoding.greedy(false).withBatch(1));
    var dfs = new GuidedDepthFirst<>(new CountdownConstraints(), seed);
    int ok = 0;
    long proposals = 0;
    long evals = 0;
    for (int i = 0; i < n; i++) {
      Outcome<String> o = dfs.run(problems.get(i), guide, energy.apply(i), budget);
      proposals += o.proposals();
      evals += o.energyEvaluations();
      if (o.best() != null && CountdownRules.solves(problems.get(i), o.best())) ok++;
      if ((i + 1) % 100 == 0)
        log.accept("countdown: " + method + " " + (i + 1) + "/" + n + ", solved " + ok);
    }
    log.accept("countdown: " + method + " " + ok + "/" + n);
    return new MethodResult(
        method,
        n,
        ok,
        (double) ok / n,
        ok == 0 ? Double.NaN : (cpu() - c0) / ok,
        (double) proposals / n,
        (double) evals / n);
  }
}
