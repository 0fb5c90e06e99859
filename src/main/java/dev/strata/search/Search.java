package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;

/**
 * Layer 3 of Strata (SEARCH): a loop that iterates proposing and judging until the energy is low
 * enough or the budget is spent. Discrete reasoning (best-of-N, beam, MCMC repair) and continuous
 * control (CEM over action sequences) are both searches.
 */
public interface Search<P, X> {

  Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget);
}
