package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop shared by the single-site repair searches: start from a proposal, repeatedly pick a
 * suspect site, score all of its values in one batched energy call, and move to one of them (the
 * rule that picks is the search's); after {@code patience} moves without a new best, restart from a
 * fresh proposal.
 */
final class SiteRepair {
  private SiteRepair() {}

  /** Chooses the index of the next value given the energies of all values of a site. */
  interface Chooser {
    int choose(float[] energies, RandomSource rng);
  }

  static <P, X> Outcome<X> run(
      P problem,
      Proposer<P, X> proposer,
      Energy<P, X> energy,
      Budget budget,
      LocalMoves<P, X> moves,
      int patience,
      long seed,
      Chooser chooser) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, X> meter = new BudgetMeter<>(budget);
    int[] all = moves.sites(problem);
    X current = null;
    int sinceBest = 0;
    while (!meter.shouldStop()) {
      if (current == null || sinceBest >= patience) {
        List<X> fresh = proposer.propose(problem, 1, rng);
        if (fresh.isEmpty()) break; // the proposer has nothing more
        current = fresh.get(0);
        meter.chargeProposals(1);
        meter.score(energy, problem, List.of(current));
        sinceBest = 0; // a restart gets its full patience
        meter.endIteration();
        continue;
      }
      if (all.length == 0) break;
      int[] suspects = moves.suspects(problem, current);
      int[] pool = suspects.length > 0 ? suspects : all;
      int site = pool[rng.nextInt(pool.length)];
      int n = (int) Math.min(moves.values(problem, site), meter.evaluationsLeft());
      List<X> options = new ArrayList<>(n);
      for (int v = 0; v < n; v++) options.add(moves.with(problem, current, site, v));
      float before = meter.bestEnergy();
      float[] e = meter.score(energy, problem, options);
      current = options.get(chooser.choose(e, rng));
      sinceBest = meter.bestEnergy() < before ? 0 : sinceBest + 1;
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }
}
