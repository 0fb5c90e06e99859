package dev.strata.bench.reasoning;

import dev.strata.propose.ArProposer;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Outcome;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuMoves;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.UniformSudokuProposer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Sudoku benchmark of the layered system (spec "What done looks like"): on one set of unseen
 * puzzles, side by side,
 *
 * <ul>
 *   <li>AR greedy — the proposer alone, argmax decoding, no mask (the "Beyond Autoregression" AR
 *       setting);
 *   <li>AR greedy + constraint mask — decoding restricted to digits the rules still allow;
 *   <li>AR best-of-N by likelihood — N samples at temperature 1, the one of lowest AR-induced
 *       energy −Σ log p (no rule energy; the samples' own log-probabilities, which equal {@code
 *       ArLikelihoodEnergy});
 *   <li>AR best-of-N by rule energy — the same samples judged by {@link SudokuRules} (solved if any
 *       is valid);
 *   <li>AR + rule energy + search — the masked greedy answer judged by the rule energy, then the
 *       AR-guided complete search ({@link LayeredSudokuSolver}'s cascade with one proposal first,
 *       the first stage batched over puzzles).
 * </ul>
 *
 * Accuracy is checked by the rules (the puzzles have unique solutions, so a valid grid is the
 * solution). Times are wall and process CPU (all threads, libtorch's included) per solved puzzle.
 */
public final class SudokuBench {

  /** One method's result on one set. */
  public record MethodResult(
      String method,
      int puzzles,
      int solved,
      double accuracy,
      double wallSeconds,
      double cpuSeconds,
      double cpuSecondsPerSolved,
      double meanProposals,
      double meanEnergyEvaluations) {}

  /** Accuracy against proposals drawn per puzzle, one series per method. */
  public record Curve(String method, double[] proposals, double[] accuracy) {}

  /** A set's results. */
  public record SetResult(
      String set,
      int puzzles,
      List<MethodResult> methods,
      List<Curve> curves,
      Map<String, Integer> layeredStages) {}

  private final ArProposer<SudokuGrid, SudokuGrid> ar;
  private final int samples;
  private final int guides;
  private final Duration searchTime;
  private final long seed;
  private final Consumer<String> log;

  public SudokuBench(
      ArProposer<SudokuGrid, SudokuGrid> ar,
      int samples,
      int guides,
      Duration searchTime,
      long seed,
      Consumer<String> log) {
    this.ar = ar;
    this.samples = samples;
    this.guides = guides;
    this.searchTime = searchTime;
    this.seed = seed;
    this.log = log;
  }

  /** The AR proposer the rows decode with. */
  public ArProposer<SudokuGrid, SudokuGrid> proposer() {
    return ar;
  }

  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  record Timed(double wall, double cpu) {}

  static Timed since(long wall0, double cpu0) {
    return new Timed((System.nanoTime() - wall0) / 1e9, cpuSeconds() - cpu0);
  }

  static MethodResult result(
      String name, int puzzles, int solved, Timed t, double proposals, double evaluations) {
    return new MethodResult(
        name,
        puzzles,
        solved,
        (double) solved / puzzles,
        t.wall(),
        t.cpu(),
        solved == 0 ? Double.NaN : t.cpu() / solved,
        proposals,
        evaluations);
  }

  /**
   * Runs every method on {@code puzzles}; {@code withSampling} adds the best-of-N methods (N =
   * samples).
   */
  public SetResult run(String set, List<SudokuGrid> puzzles, boolean withSampling) {
    List<MethodResult> methods = new ArrayList<>();
    List<Curve> curves = new ArrayList<>();
    int n = puzzles.size();
    var rng = new dev.strata.propose.RandomSource(seed);

    // 1. AR greedy, no mask
    long w0 = System.nanoTime();
    double c0 = cpuSeconds();
    List<ArProposer.Sample<SudokuGrid>> greedy =
        ar.with(ArProposer.Decoding.greedy(false)).sample(puzzles, null, rng);
    int solved = 0;
    for (int i = 0; i < n; i++)
      if (SudokuRules.solves(puzzles.get(i), greedy.get(i).candidate())) solved++;
    methods.add(result("AR greedy", n, solved, since(w0, c0), 1, 0));
    log.accept(set + ": AR greedy " + solved + "/" + n);

    // 2. AR greedy with the constraint mask
    w0 = System.nanoTime();
    c0 = cpuSeconds();
    List<ArProposer.Sample<SudokuGrid>> masked =
        ar.with(ArProposer.Decoding.greedy(true)).sample(puzzles, null, rng);
    boolean[] maskedOk = new boolean[n];
    solved = 0;
    for (int i = 0; i < n; i++)
      if (maskedOk[i] = SudokuRules.solves(puzzles.get(i), masked.get(i).candidate())) solved++;
    Timed maskedTime = since(w0, c0);
    methods.add(result("AR greedy + constraint mask", n, solved, maskedTime, 1, 0));
    log.accept(set + ": AR greedy + mask " + solved + "/" + n);

    // 3. N samples at temperature 1: best-of-k by likelihood and by rule energy
    if (withSampling && samples > 0) {
      w0 = System.nanoTime();
      c0 = cpuSeconds();
      List<SudokuGrid> repeated = new ArrayList<>(n * samples);
      for (SudokuGrid p : puzzles) for (int k = 0; k < samples; k++) repeated.add(p);
      List<ArProposer.Sample<SudokuGrid>> drawn =
          ar.with(ArProposer.Decoding.sampling(1.0, false)).sample(repeated, null, rng);
      Timed sampleTime = since(w0, c0);
      List<Integer> ks = new ArrayList<>();
      for (int k = 1; k < samples; k *= 2) ks.add(k);
      ks.add(samples);
      double[] xs = new double[ks.size()];
      double[] byLikelihood = new double[ks.size()];
      double[] byRules = new double[ks.size()];
      for (int j = 0; j < ks.size(); j++) {
        int k = ks.get(j);
        int okL = 0;
        int okR = 0;
        for (int i = 0; i < n; i++) {
          int best = -1;
          boolean any = false;
          for (int s = 0; s < k; s++) {
            var smp = drawn.get(i * samples + s);
            if (best < 0 || smp.logProb() > drawn.get(i * samples + best).logProb()) best = s;
            any |= SudokuRules.solves(puzzles.get(i), smp.candidate());
          }
          if (SudokuRules.solves(puzzles.get(i), drawn.get(i * samples + best).candidate())) okL++;
          if (any) okR++;
        }
        xs[j] = k;
        byLikelihood[j] = (double) okL / n;
        byRules[j] = (double) okR / n;
      }
      int last = ks.size() - 1;
      methods.add(
          result(
              "AR best-of-" + samples + " by likelihood (-log p)",
              n,
              (int) Math.round(byLikelihood[last] * n),
              sampleTime,
              samples,
              samples));
      methods.add(
          result(
              "AR best-of-" + samples + " by rule energy",
              n,
              (int) Math.round(byRules[last] * n),
              sampleTime,
              samples,
              samples));
      curves.add(new Curve("AR best-of-N by likelihood", xs, byLikelihood));
      curves.add(new Curve("AR best-of-N by rule energy", xs, byRules));
      log.accept(
          set
              + ": best-of-"
              + samples
              + " likelihood "
              + byLikelihood[last]
              + ", rules "
              + byRules[last]);
    }

    // 4. layered: the masked greedy answer judged by the rule energy, else the AR-guided complete
    // search
    Layered l =
        layered(
            set,
            "AR",
            puzzles,
            maskedOk,
            maskedTime,
            ar.with(ArProposer.Decoding.greedy(true).withBatch(1)),
            guides,
            searchTime,
            samples,
            seed,
            log);
    methods.add(l.method());
    curves.add(l.curve());
    Map<String, Integer> stages = l.stages();
    return new SetResult(set, n, methods, curves, stages);
  }

  /** The layered row: its result, accuracy-vs-proposals curve and which stage solved how many. */
  record Layered(MethodResult method, Curve curve, Map<String, Integer> stages) {}

  /**
   * "{@code name} + rule energy + search": each puzzle's first answer (decoded before, in one
   * batch: {@code firstOk} says which were valid, {@code firstTime} what decoding them cost) is
   * judged by the rule energy; the others go to the complete search guided by {@code guide} ({@link
   * LayeredSudokuSolver} with {@code guides} completions).
   */
  static Layered layered(
      String set,
      String name,
      List<SudokuGrid> puzzles,
      boolean[] firstOk,
      Timed firstTime,
      dev.strata.propose.Proposer<SudokuGrid, SudokuGrid> guide,
      int guides,
      Duration searchTime,
      int samples,
      long seed,
      Consumer<String> log) {
    int n = puzzles.size();
    long w0 = System.nanoTime();
    double c0 = cpuSeconds();
    LayeredSudokuSolver dfsOnly = new LayeredSudokuSolver(0, guides, searchTime, seed);
    long[] proposals = new long[n];
    boolean[] ok = new boolean[n];
    long totalEvaluations = 0;
    int solved = 0;
    Map<String, Integer> stages = new LinkedHashMap<>();
    String valid = name + " answer valid";
    stages.put(valid, 0);
    stages.put("complete search", 0);
    stages.put("unsolved", 0);
    for (int i = 0; i < n; i++) {
      proposals[i] = 1; // the first answer, decoded before in one batch
      totalEvaluations++;
      if (firstOk[i]) {
        solved++;
        ok[i] = true;
        stages.merge(valid, 1, Integer::sum);
        continue;
      }
      Outcome<SudokuGrid> o = dfsOnly.solve(puzzles.get(i), guide).outcome();
      proposals[i] += o.proposals();
      totalEvaluations += o.energyEvaluations();
      if (o.accepted() && SudokuRules.solves(puzzles.get(i), o.best())) {
        solved++;
        ok[i] = true;
        stages.merge("complete search", 1, Integer::sum);
      } else {
        stages.merge("unsolved", 1, Integer::sum);
      }
      if ((i + 1) % 100 == 0) log.accept(set + ": layered " + (i + 1) + "/" + n);
    }
    Timed t = since(w0, c0);
    t = new Timed(t.wall() + firstTime.wall(), t.cpu() + firstTime.cpu());
    double meanProposals = java.util.Arrays.stream(proposals).average().orElse(0);
    String method = name + " + rule energy + search";
    log.accept(set + ": layered " + solved + "/" + n + " " + stages);
    return new Layered(
        result(method, n, solved, t, meanProposals, (double) totalEvaluations / n),
        accuracyVsProposals(method, proposals, ok, samples),
        stages);
  }

  /**
   * What the learned-energy rows decode with, named as their rows say it ("AR", "diffusion"):
   * {@code draw} gives the best-of-N samples (temperature 1, no constraint mask), {@code guide} the
   * complete search's completions (greedy, one at a time) and {@code sampler} the min-conflict
   * repair's starting proposals (temperature 1, one at a time).
   */
  public record LearnedProposer(
      String name,
      Draw draw,
      Proposer<SudokuGrid, SudokuGrid> guide,
      Proposer<SudokuGrid, SudokuGrid> sampler) {}

  /**
   * {@code n} candidates for each of several puzzles: puzzle i's are {@code [i·n, (i+1)·n)} of the
   * result.
   */
  public interface Draw {
    List<SudokuGrid> each(List<SudokuGrid> puzzles, int n, RandomSource rng);
  }

  /** The learned-energy rows of the AR proposer ({@link #learned}). */
  public List<MethodResult> runLearned(
      String set,
      List<SudokuGrid> puzzles,
      SudokuEbmTraining.Loaded learned,
      int repairEvaluations,
      List<Curve> curves) {
    var sampling = ar.with(ArProposer.Decoding.sampling(1.0, false));
    Draw draw =
        (ps, k, rng) -> {
          List<SudokuGrid> repeated = new ArrayList<>(ps.size() * k);
          for (SudokuGrid p : ps) for (int j = 0; j < k; j++) repeated.add(p);
          return sampling.sample(repeated, null, rng).stream()
              .map(ArProposer.Sample::candidate)
              .toList();
        };
    var p =
        new LearnedProposer(
            "AR",
            draw,
            ar.with(ArProposer.Decoding.greedy(false).withBatch(1)),
            ar.with(new ArProposer.Decoding(1.0, 0, false, 1)));
    return learned(
        set,
        p,
        puzzles,
        learned,
        repairEvaluations,
        samples,
        guides,
        searchTime,
        seed,
        curves,
        log);
  }

  /**
   * The learned energy in place of the rules — nothing below reads {@link SudokuRules} or a rule
   * mask except to score the answers afterwards; the proposer ({@code p}, AR or diffusion) decodes
   * without the constraint mask:
   *
   * <ul>
   *   <li>best-of-N: N samples, the one of lowest learned energy;
   *   <li>complete search (pairwise energy only): {@link dev.strata.search.GuidedDepthFirst} over
   *       the proposer's choices, pruned by the conflicts the learned pair weights imply ({@link
   *       dev.strata.search.LearnedPairPropagator}), a leaf accepted when it has no learned
   *       conflict ({@link dev.strata.energy.LearnedConflicts} = 0);
   *   <li>min-conflict repair under the learned energy from the proposer's samples, when {@code
   *       repairEvaluations} &gt; 0, its suspect cells chosen by the learned groups ({@link
   *       #learnedMoves}).
   * </ul>
   */
  static List<MethodResult> learned(
      String set,
      LearnedProposer p,
      List<SudokuGrid> puzzles,
      SudokuEbmTraining.Loaded learned,
      int repairEvaluations,
      int samples,
      int guides,
      Duration searchTime,
      long seed,
      List<Curve> curves,
      Consumer<String> log) {
    List<MethodResult> methods = new ArrayList<>();
    var energy = learned.energy();
    double accept = learned.calibration().acceptBelow();
    int n = puzzles.size();
    var rng = new RandomSource(seed + 5);
    if (samples > 0) {
      long w0 = System.nanoTime();
      double c0 = cpuSeconds();
      List<SudokuGrid> drawn = p.draw().each(puzzles, samples, rng);
      int solved = 0;
      for (int i = 0; i < n; i++) {
        List<SudokuGrid> c = drawn.subList(i * samples, (i + 1) * samples);
        float[] e = energy.energies(puzzles.get(i), c);
        int best = 0;
        for (int k = 1; k < e.length; k++) if (e[k] < e[best]) best = k;
        if (SudokuRules.solves(puzzles.get(i), c.get(best))) solved++;
      }
      methods.add(
          result(
              p.name() + " + learned energy, best-of-" + samples,
              n,
              solved,
              since(w0, c0),
              samples,
              samples));
      log.accept(set + ": " + p.name() + " learned best-of-" + samples + " " + solved + "/" + n);
    }

    if (learned.net() instanceof dev.strata.energy.PairwiseEnergyNet) {
      long w0 = System.nanoTime();
      double c0 = cpuSeconds();
      var tables = learned.tables();
      float tau = (float) learned.calibration().pairThreshold();
      var propagator =
          new dev.strata.search.LearnedPairPropagator<>(tables, tau, SudokuEbmTraining.SITES);
      var conflicts =
          new dev.strata.energy.LearnedConflicts<>(tables, tau, SudokuEbmTraining.SITES);
      var dfs = new dev.strata.search.GuidedDepthFirst<>(propagator, seed);
      var budget = new dev.strata.search.Budget(Math.max(1, guides), Long.MAX_VALUE, searchTime, 0);
      long[] proposals = new long[n];
      boolean[] ok = new boolean[n];
      long evaluations = 0;
      int solved = 0;
      for (int i = 0; i < n; i++) {
        Outcome<SudokuGrid> o = dfs.run(puzzles.get(i), p.guide(), conflicts, budget);
        proposals[i] = o.proposals();
        evaluations += o.energyEvaluations();
        if (o.accepted() && SudokuRules.solves(puzzles.get(i), o.best())) {
          solved++;
          ok[i] = true;
        }
        if ((i + 1) % 100 == 0)
          log.accept(set + ": learned search " + (i + 1) + "/" + n + ", solved " + solved);
      }
      String method = p.name() + " + learned energy + search";
      methods.add(
          result(
              method,
              n,
              solved,
              since(w0, c0),
              java.util.Arrays.stream(proposals).average().orElse(0),
              (double) evaluations / n));
      curves.add(accuracyVsProposals(method, proposals, ok, samples));
      log.accept(set + ": " + p.name() + " learned search " + solved + "/" + n);
    }

    if (repairEvaluations > 0) {
      long w0 = System.nanoTime();
      double c0 = cpuSeconds();
      var repair =
          new dev.strata.search.MinConflictRepair<SudokuGrid, SudokuGrid>(
              learnedMoves(learned), 0.1, 60, seed);
      int solved = 0;
      long proposals = 0;
      long evaluations = 0;
      for (int i = 0; i < n; i++) {
        var o =
            repair.run(
                puzzles.get(i),
                p.sampler(),
                energy,
                new dev.strata.search.Budget(8, repairEvaluations, searchTime, accept));
        proposals += o.proposals();
        evaluations += o.energyEvaluations();
        if (SudokuRules.solves(puzzles.get(i), o.best())) solved++;
      }
      methods.add(
          result(
              p.name()
                  + " + learned energy + min-conflict repair ("
                  + (learned.net() instanceof dev.strata.energy.PairwiseEnergyNet
                      ? "suspects from the learned groups"
                      : "any cell a suspect")
                  + ")",
              n,
              solved,
              since(w0, c0),
              (double) proposals / n,
              (double) evaluations / n));
      log.accept(set + ": " + p.name() + " learned repair " + solved + "/" + n);
    }
    return methods;
  }

  /**
   * The repair moves of the learned rows, with no rule read: a cell is a suspect when its digit
   * repeats in one of the all-different groups the learned pair weights imply (the K-cliques of
   * {@link dev.strata.search.LearnedPairPropagator}); the transformer energy implies none, so only
   * blanks and changed clues are suspects (and any cell once none is left).
   */
  static SudokuMoves learnedMoves(SudokuEbmTraining.Loaded learned) {
    if (!(learned.net() instanceof dev.strata.energy.PairwiseEnergyNet))
      return new SudokuMoves(new int[0][]);
    var propagator =
        new dev.strata.search.LearnedPairPropagator<>(
            learned.tables(),
            (float) learned.calibration().pairThreshold(),
            SudokuEbmTraining.SITES);
    return new SudokuMoves(propagator.groups());
  }

  /**
   * Beam search with a learned prefix value ({@link dev.strata.search.ValueBeamProposer}): the top
   * beam alone, and the best of the W final beams judged by the rule energy; once with β = 0
   * (likelihood beam) for comparison.
   */
  public List<MethodResult> runValueBeam(
      String set,
      List<SudokuGrid> puzzles,
      dev.strata.search.PrefixValueHead head,
      int width,
      double beta) {
    List<MethodResult> methods = new ArrayList<>();
    SudokuRules rules = new SudokuRules();
    int n = puzzles.size();
    for (double b : new double[] {0, beta}) {
      var beam =
          new dev.strata.search.ValueBeamProposer<>(
              ar.with(ArProposer.Decoding.greedy(false)), head, b, width);
      long w0 = System.nanoTime();
      double c0 = cpuSeconds();
      int top = 0;
      int any = 0;
      for (SudokuGrid p : puzzles) {
        var beams = beam.beam(p, null, width);
        if (SudokuRules.solves(p, beams.get(0).candidate())) top++;
        List<SudokuGrid> grids = beams.stream().map(ArProposer.Sample::candidate).toList();
        float[] e = rules.energies(p, grids);
        for (float v : e)
          if (v == 0) {
            any++;
            break;
          }
      }
      Timed t = since(w0, c0);
      String name =
          b == 0
              ? "AR likelihood beam (W=" + width + ")"
              : "AR + value beam (W=" + width + ", β=" + b + ")";
      methods.add(result(name + ", top beam", n, top, t, width, 0));
      methods.add(result(name + " + rule energy", n, any, t, width, width));
      log.accept(set + ": " + name + " top " + top + "/" + n + ", any valid " + any + "/" + n);
    }
    return methods;
  }

  /**
   * Fraction of puzzles solved within k proposals, at k = 1, 2, 4, … up to the most any puzzle
   * drew.
   */
  static Curve accuracyVsProposals(String method, long[] proposals, boolean[] ok, int samples) {
    int n = proposals.length;
    long maxP = java.util.Arrays.stream(proposals).max().orElse(1);
    List<Double> px = new ArrayList<>();
    long upTo = Math.max(maxP, Math.max(2, samples)); // at least two points, so the line is drawn
    for (long k = 1; k <= upTo; k *= 2) px.add((double) k);
    if (px.get(px.size() - 1) < upTo) px.add((double) upTo);
    double[] lx = new double[px.size()];
    double[] ly = new double[px.size()];
    for (int j = 0; j < lx.length; j++) {
      lx[j] = px.get(j);
      int within = 0;
      for (int i = 0; i < n; i++) if (ok[i] && proposals[i] <= lx[j]) within++;
      ly[j] = (double) within / n;
    }
    return new Curve(method, lx, ly);
  }

  /**
   * The rule energy and the complete search with the uniform proposer as its guide (no learned part
   * helps): the exactness check on the hardest published puzzles.
   */
  public static MethodResult searchOnly(List<SudokuGrid> puzzles, Duration perPuzzle, long seed) {
    long w0 = System.nanoTime();
    double c0 = cpuSeconds();
    LayeredSudokuSolver solver = new LayeredSudokuSolver(0, 1, perPuzzle, seed);
    UniformSudokuProposer uniform = new UniformSudokuProposer();
    int solved = 0;
    long evaluations = 0;
    long proposals = 0;
    for (SudokuGrid p : puzzles) {
      Outcome<SudokuGrid> o = solver.solve(p, uniform).outcome();
      evaluations += o.energyEvaluations();
      proposals += o.proposals();
      if (o.accepted() && SudokuRules.solves(p, o.best())) solved++;
    }
    return result(
        "rule energy + complete search (uniform proposer)",
        puzzles.size(),
        solved,
        since(w0, c0),
        (double) proposals / puzzles.size(),
        (double) evaluations / puzzles.size());
  }
}
