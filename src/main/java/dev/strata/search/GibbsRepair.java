package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;

/**
 * Gibbs sampling under an energy (Geman &amp; Geman 1984), one site at a time: pick a suspect site
 * and resample its value from the conditional p(v) ∝ exp(−E(x with site = v)/τ), computed from one
 * batched energy call over all values; restart from a new proposal after {@code patience} moves
 * without improvement. As τ → 0 it becomes {@link MinConflictRepair} without noise.
 *
 * @param moves the single-site moves of the candidate type
 * @param temperature τ &gt; 0
 * @param patience moves without a new best energy before a restart
 * @param seed seed of the run's random source
 */
public record GibbsRepair<P, X>(LocalMoves<P, X> moves, double temperature, int patience, long seed)
    implements Search<P, X> {

  public GibbsRepair {
    if (!(temperature > 0))
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
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
        (e, rng) -> BoltzmannChoice.pick(e, temperature, rng));
  }
}
