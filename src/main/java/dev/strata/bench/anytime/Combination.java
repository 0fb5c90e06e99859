package dev.strata.bench.anytime;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.search.Search;
import java.util.function.LongFunction;

/**
 * One proposer × energy × search of an anytime sweep, ready to run.
 *
 * @param label the names of its three parts
 * @param proposer the proposer
 * @param energy the energy
 * @param acceptBelow energy at or below which the search accepts a candidate and stops
 * @param search the search, given the seed of one problem's run
 * @param readout which candidate the search returns when stopped after b evaluations
 * @param separate whether the search's path depends on the budget, so it is run once per budget
 *     instead of read off one run at the largest
 */
public record Combination<P, X>(
    Label label,
    Proposer<P, X> proposer,
    Energy<P, X> energy,
    double acceptBelow,
    LongFunction<Search<P, X>> search,
    Readout readout,
    boolean separate) {

  /** The names of a combination's parts, as the table, JSON and plot spell them. */
  public record Label(String proposer, String energy, String search) {
    @Override
    public String toString() {
      return proposer + " + " + energy + " + " + search;
    }
  }
}
