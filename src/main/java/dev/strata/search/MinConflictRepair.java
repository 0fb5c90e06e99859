package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;

/**
 * Min-conflicts local search (Minton, Johnston, Philips &amp; Laird, "Minimizing conflicts: a
 * heuristic repair method for constraint satisfaction and scheduling problems", Artificial
 * Intelligence 58, 1992): start from a proposal, pick a site in a violated constraint, set it to
 * the value of lowest energy (ties broken at random; with probability {@code noise} a random value
 * instead, the random-walk escape of WalkSAT), and restart from a new proposal after {@code
 * patience} moves without improvement.
 *
 * @param moves the single-site moves of the candidate type
 * @param noise probability of a random move
 * @param patience moves without a new best energy before a restart
 * @param seed seed of the run's random source
 */
public record MinConflictRepair<P, X>(LocalMoves<P, X> moves, double noise, int patience, long seed)
    implements Search<P, X> {

  public MinConflictRepair {
    if (noise < 0 || noise > 1)
      throw new IllegalArgumentException("noise must lie in [0, 1], got " + noise);
    if (patience <= 0)
      throw new IllegalArgumentException("patience must be positive, got " + patience);
  }

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    return SiteRepair.run(
        problem,
        proposer,
        energy,
        budget,
        moves,
        patience,
        seed,
        (e, rng) -> {
          if (rng.nextDouble() < noise) return rng.nextInt(e.length);
          float min = Float.POSITIVE_INFINITY;
          for (float v : e) min = Math.min(min, v);
          int ties = 0;
          int pick = 0;
          for (int i = 0; i < e.length; i++) {
            if (e[i] == min && rng.nextInt(++ties) == 0)
              pick = i; // reservoir choice among the minima
          }
          return pick;
        });
  }
}
