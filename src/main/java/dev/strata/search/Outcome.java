package dev.strata.search;

import dev.strata.energy.Breakdown;
import java.time.Duration;

/**
 * The result of a search, with the evidence a user inspects.
 *
 * @param best the lowest-energy candidate seen (null only if nothing was proposed)
 * @param energy its energy
 * @param breakdown its per-term energy (the energy's {@code explain})
 * @param accepted whether {@code energy} reached the budget's acceptance threshold
 * @param stop why the search stopped
 * @param proposals candidates drawn from the proposer
 * @param energyEvaluations candidates scored
 * @param wallTime time spent
 * @param trace best energy so far after each iteration
 */
public record Outcome<X>(
    X best,
    float energy,
    Breakdown breakdown,
    boolean accepted,
    StopReason stop,
    long proposals,
    long energyEvaluations,
    Duration wallTime,
    float[] trace) {

  /** Why a search ended. */
  public enum StopReason {
    /** a candidate reached the acceptance threshold */
    ACCEPTED,
    /** the proposal budget was spent */
    PROPOSALS,
    /** the energy-evaluation budget was spent */
    ENERGY_EVALUATIONS,
    /** the wall-time budget was spent */
    WALL_TIME,
    /**
     * the search ran out of moves (e.g. a complete search that proved there is no better candidate)
     */
    EXHAUSTED
  }
}
