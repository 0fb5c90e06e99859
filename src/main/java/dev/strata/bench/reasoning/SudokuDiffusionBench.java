package dev.strata.bench.reasoning;

import dev.strata.propose.Denoiser;
import dev.strata.propose.DiffusionProposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.RemaskRepair;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuRemasking;
import dev.strata.tasks.sudoku.SudokuRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Sudoku benchmark with a masked-diffusion proposer in the AR proposer's place ({@link
 * SudokuBench}'s rows and format), on one set of unseen puzzles:
 *
 * <ul>
 *   <li>diffusion easy-first — LLaDA's low-confidence remasking at temperature 0, one cell
 *       committed per step (81 steps), the most confident first: Ye et al.'s easy-first decoding;
 *   <li>diffusion best-of-N by rule energy — N easy-first samples with the predictions drawn at
 *       temperature 1;
 *   <li>diffusion + rule energy + remask repair — the easy-first answer, then {@link RemaskRepair}:
 *       the cells the rule energy blames are masked again and the denoiser refills them (sampled,
 *       {@code width} refills per round), up to N proposals;
 *   <li>diffusion + rule energy + search — the easy-first answer judged by the rule energy, then
 *       the complete search guided by the denoiser's completions ({@link SudokuBench#layered}).
 * </ul>
 *
 * With a learned energy, {@link #runLearned} adds {@link SudokuBench}'s learned-energy rows for the
 * denoiser.
 */
public record SudokuDiffusionBench(
    DiffusionProposer<SudokuGrid, SudokuGrid> greedy,
    DiffusionProposer<SudokuGrid, SudokuGrid> sampling,
    DiffusionProposer<SudokuGrid, SudokuGrid> guide,
    int samples,
    int guides,
    int width,
    Duration searchTime,
    long seed,
    Consumer<String> log) {
  private static final int LENGTH = 82 + 81;

  /**
   * @param steps denoising steps for a whole answer (81: one cell per step); a partial answer takes
   *     one step per open cell at most
   * @param width refills per remask-repair round
   */
  public static SudokuDiffusionBench of(
      Denoiser denoiser,
      int steps,
      int samples,
      int guides,
      int width,
      Duration searchTime,
      long seed,
      Consumer<String> log) {
    SudokuCodec codec = new SudokuCodec();
    return new SudokuDiffusionBench(
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 0, 64),
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 1.0, 64),
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 0, 1),
        samples,
        guides,
        width,
        searchTime,
        seed,
        log);
  }

  /**
   * Runs every method on {@code puzzles}; {@code withSampling} adds best-of-N and remask repair (N
   * = samples).
   */
  public SudokuBench.SetResult run(String set, List<SudokuGrid> puzzles, boolean withSampling) {
    List<SudokuBench.MethodResult> methods = new ArrayList<>();
    List<SudokuBench.Curve> curves = new ArrayList<>();
    int n = puzzles.size();
    RandomSource rng = new RandomSource(seed);

    // 1. easy-first greedy, all puzzles batched
    long w0 = System.nanoTime();
    double c0 = SudokuBench.cpuSeconds();
    List<SudokuGrid> first = greedy.proposeEach(puzzles, 1, rng);
    boolean[] firstOk = new boolean[n];
    int solved = 0;
    for (int i = 0; i < n; i++)
      if (firstOk[i] = SudokuRules.solves(puzzles.get(i), first.get(i))) solved++;
    SudokuBench.Timed firstTime = SudokuBench.since(w0, c0);
    methods.add(SudokuBench.result("diffusion easy-first (greedy)", n, solved, firstTime, 1, 0));
    log.accept(set + ": diffusion easy-first " + solved + "/" + n);

    if (withSampling && samples > 0) {
      // 2. N samples, best-of-k by the rule energy
      w0 = System.nanoTime();
      c0 = SudokuBench.cpuSeconds();
      List<SudokuGrid> drawn = sampling.proposeEach(puzzles, samples, rng);
      List<Integer> ks = new ArrayList<>();
      for (int k = 1; k < samples; k *= 2) ks.add(k);
      ks.add(samples);
      double[] xs = new double[ks.size()];
      double[] acc = new double[ks.size()];
      for (int j = 0; j < ks.size(); j++) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
          for (int s = 0; s < ks.get(j); s++) {
            if (SudokuRules.solves(puzzles.get(i), drawn.get(i * samples + s))) {
              ok++;
              break;
            }
          }
        }
        xs[j] = ks.get(j);
        acc[j] = (double) ok / n;
      }
      methods.add(
          SudokuBench.result(
              "diffusion best-of-" + samples + " by rule energy",
              n,
              (int) Math.round(acc[acc.length - 1] * n),
              SudokuBench.since(w0, c0),
              samples,
              samples));
      curves.add(new SudokuBench.Curve("diffusion best-of-N by rule energy", xs, acc));
      log.accept(set + ": diffusion best-of-" + samples + " " + acc[acc.length - 1]);

      // 3. remask repair from the easy-first answer
      w0 = System.nanoTime();
      c0 = SudokuBench.cpuSeconds();
      RemaskRepair.Tally r =
          new RemaskRepair<>(new SudokuRemasking(), width, 0.5, 0.02, 4, seed)
              .fromEach(
                  puzzles,
                  first,
                  sampling,
                  new SudokuRules(),
                  new Budget(1 + samples, Long.MAX_VALUE, searchTime, 0));
      SudokuBench.Timed t = SudokuBench.since(w0, c0);
      t = new SudokuBench.Timed(t.wall() + firstTime.wall(), t.cpu() + firstTime.cpu());
      methods.add(
          SudokuBench.result(
              "diffusion + rule energy + remask repair",
              n,
              r.accepted(),
              t,
              (double) r.proposals() / n,
              (double) r.evaluations() / n));
      log.accept(set + ": diffusion remask repair " + r.accepted() + "/" + n);
    }

    // 4. layered: the easy-first answer judged by the rules, else the denoiser-guided complete
    // search
    SudokuBench.Layered l =
        SudokuBench.layered(
            set,
            "diffusion",
            puzzles,
            firstOk,
            firstTime,
            guide,
            guides,
            searchTime,
            samples,
            seed,
            log);
    methods.add(l.method());
    curves.add(l.curve());
    return new SudokuBench.SetResult(set, n, methods, curves, l.stages());
  }

  /**
   * {@link SudokuBench}'s learned-energy rows with the denoiser as the proposer: "diffusion +
   * learned energy, best-of-N" from N samples at temperature 1, "diffusion + learned energy +
   * search" guided by easy-first completions, and min-conflict repair from samples when {@code
   * repairEvaluations} &gt; 0.
   */
  public List<SudokuBench.MethodResult> runLearned(
      String set,
      List<SudokuGrid> puzzles,
      SudokuEbmTraining.Loaded learned,
      int repairEvaluations,
      List<SudokuBench.Curve> curves) {
    var p = new SudokuBench.LearnedProposer("diffusion", sampling::proposeEach, guide, sampling);
    return SudokuBench.learned(
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
}
