package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.RandomSource;
import java.util.List;

/**
 * How well an AR proposer does on held-out problems, every answer checked by the rules (energy 0 is
 * valid): pass@1, its greedy answer alone; pass@K, any of K samples (Chen et al. 2021's pass@k with
 * n = k); and a budgeted search over those same K samples with a verifier energy: how often it ends
 * with an accepted answer the rules call valid, and how many energy evaluations it spent on average
 * (its effort; a search that fails spends its whole budget).
 *
 * @param problems held-out problems
 * @param samples K
 * @param pass1 fraction solved by the greedy answer
 * @param passK fraction with a valid answer among the K samples
 * @param searchSolved fraction the search solved
 * @param meanEvaluations energy evaluations per problem the search spent
 */
public record PassRates(
    int problems,
    int samples,
    double pass1,
    double passK,
    double searchSolved,
    double meanEvaluations) {

  /**
   * Measures {@code proposer} (its model; decoding set here: greedy, then sampling at {@code
   * temperature}, both without constraint masks) on {@code problems}.
   */
  public static <P, X> PassRates measure(
      List<P> problems,
      ArProposer<P, X> proposer,
      double temperature,
      int k,
      Energy<P, X> rules,
      Search<P, X> search,
      Energy<P, X> verifier,
      Budget budget,
      long seed) {
    int n = problems.size();
    if (n == 0) throw new IllegalArgumentException("no held-out problems to evaluate on");
    RandomSource rng = new RandomSource(seed);
    var greedy =
        proposer.with(ArProposer.Decoding.greedy(false)).sample(problems, null, rng.split());
    int pass1 = 0;
    for (int i = 0; i < n; i++)
      if (valid(rules, problems.get(i), greedy.get(i).candidate())) pass1++;
    SamplePool<P, X> pool =
        SamplePool.draw(
            proposer.with(ArProposer.Decoding.sampling(temperature, false)),
            problems,
            k,
            rng.split());
    int passK = 0;
    int solved = 0;
    long evaluations = 0;
    for (P p : problems) {
      boolean any = false;
      for (X x : pool.drawn(p)) any |= valid(rules, p, x);
      if (any) passK++;
      Outcome<X> o = search.run(p, pool, verifier, budget);
      evaluations += o.energyEvaluations();
      if (o.accepted() && o.best() != null && valid(rules, p, o.best())) solved++;
    }
    return new PassRates(
        n,
        k,
        (double) pass1 / n,
        (double) passK / n,
        (double) solved / n,
        (double) evaluations / n);
  }

  /** Whether the rules call {@code x} a valid answer (energy 0). */
  static <P, X> boolean valid(Energy<P, X> rules, P problem, X x) {
    return rules.energy(problem, x) <= 0;
  }
}
