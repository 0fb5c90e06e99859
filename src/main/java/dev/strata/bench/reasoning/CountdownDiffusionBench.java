package dev.strata.bench.reasoning;

import dev.strata.propose.Denoiser;
import dev.strata.propose.DiffusionProposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.RemaskRepair;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.countdown.CountdownRemasking;
import dev.strata.tasks.countdown.CountdownRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Countdown-4 benchmark with a masked-diffusion proposer in the AR proposer's place ({@link
 * CountdownBench}'s rows and format): easy-first greedy decoding (low-confidence remasking at
 * temperature 0, one character per step); best-of-N by the rule energy (predictions drawn at
 * temperature 1); the easy-first answer repaired by {@link RemaskRepair} (the answer is kept up to
 * the first step the rules fault, the denoiser refills the rest, up to N proposals); and the
 * complete search guided by the denoiser's completions ({@link CountdownBench#layered}).
 */
public record CountdownDiffusionBench(
    DiffusionProposer<Countdown, String> greedy,
    DiffusionProposer<Countdown, String> sampling,
    DiffusionProposer<Countdown, String> guide,
    int samples,
    int guides,
    int width,
    long seed,
    Consumer<String> log) {
  private static final int LENGTH = CountdownCodec.PROMPT_CHARS + 1 + CountdownCodec.ANSWER_LENGTH;

  /**
   * @param steps denoising steps of a whole answer (40: one character per step); @param width
   *     refills per repair round
   */
  public static CountdownDiffusionBench of(
      Denoiser denoiser,
      int steps,
      int samples,
      int guides,
      int width,
      long seed,
      Consumer<String> log) {
    CountdownCodec codec = new CountdownCodec();
    return new CountdownDiffusionBench(
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 0, 64),
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 1.0, 64),
        DiffusionProposer.easyFirst(denoiser, codec, LENGTH, steps, 0, 1),
        samples,
        guides,
        width,
        seed,
        log);
  }

  public List<CountdownBench.MethodResult> run(List<Countdown> problems) {
    int n = problems.size();
    List<CountdownBench.MethodResult> out = new ArrayList<>();
    RandomSource rng = new RandomSource(seed);
    double c0 = CountdownBench.cpu();
    List<String> first = greedy.proposeEach(problems, 1, rng);
    int ok = 0;
    for (int i = 0; i < n; i++) if (CountdownRules.solves(problems.get(i), first.get(i))) ok++;
    double firstCpu = CountdownBench.cpu() - c0;
    out.add(row("diffusion easy-first (greedy)", n, ok, firstCpu, 1, 0));
    log.accept("countdown: diffusion easy-first " + ok + "/" + n);

    if (samples > 0) {
      c0 = CountdownBench.cpu();
      List<String> drawn = sampling.proposeEach(problems, samples, rng);
      ok = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < samples; k++) {
          if (CountdownRules.solves(problems.get(i), drawn.get(i * samples + k))) {
            ok++;
            break;
          }
        }
      }
      out.add(
          row(
              "diffusion best-of-" + samples + " by rule energy",
              n,
              ok,
              CountdownBench.cpu() - c0,
              samples,
              samples));
      log.accept("countdown: diffusion best-of-" + samples + " " + ok + "/" + n);

      c0 = CountdownBench.cpu();
      RemaskRepair.Tally r =
          new RemaskRepair<>(new CountdownRemasking(), width, 1.0, 0.05, 4, seed)
              .fromEach(
                  problems,
                  first,
                  sampling,
                  new CountdownRules(),
                  new Budget(1 + samples, Long.MAX_VALUE, Duration.ofSeconds(10), 0));
      out.add(
          row(
              "diffusion + rule energy + remask repair",
              n,
              r.accepted(),
              CountdownBench.cpu() - c0 + firstCpu,
              (double) r.proposals() / n,
              (double) r.evaluations() / n));
      log.accept("countdown: diffusion remask repair " + r.accepted() + "/" + n);
    }

    out.add(CountdownBench.layered("diffusion", problems, guide, guides, seed));
    log.accept("countdown: diffusion layered " + out.get(out.size() - 1).solved() + "/" + n);
    return out;
  }

  private static CountdownBench.MethodResult row(
      String name, int n, int ok, double cpu, double proposals, double evaluations) {
    return new CountdownBench.MethodResult(
        name, n, ok, (double) ok / n, ok == 0 ? Double.NaN : cpu / ok, proposals, evaluations);
  }
}
