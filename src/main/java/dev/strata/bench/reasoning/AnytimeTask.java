package dev.strata.bench.reasoning;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.search.ConstraintPropagator;
import dev.strata.search.LocalMoves;
import dev.strata.search.Remasking;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code strata bench anytime} needs of one reasoning task: its test sets, its check of an
 * answer, its proposers by family and its energies with the moves each search runs over.
 */
interface AnytimeTask<P, X> {

  /** A named list of test problems. */
  record ProblemSet<P>(String name, List<P> problems) {}

  /**
   * An energy and what the searches use with it; a null part means the searches that need it do not
   * apply, for the reason given.
   *
   * @param energy the energy the searches score candidates with
   * @param acceptBelow energy at or below which a candidate is accepted
   * @param complete the complete search's propagator, its leaf energy and acceptance (null: none)
   * @param moves single-site moves for the repair searches (null: none)
   * @param remasking blame and re-masking for remask repair (null: none)
   * @param missing why a null part is missing, by search
   */
  record EnergySetup<P, X>(
      Energy<P, X> energy,
      double acceptBelow,
      Complete<P, X, ?> complete,
      LocalMoves<P, X> moves,
      Remasking<P, X> remasking,
      java.util.Map<AnytimeSearch, String> missing) {}

  /**
   * The complete search's parts: the propagator it branches over and the energy that judges its
   * leaves (for the learned Sudoku energy, its learned conflicts rather than its soft score).
   */
  record Complete<P, X, S>(
      ConstraintPropagator<P, X, S> constraints, Energy<P, X> leafEnergy, double acceptBelow) {}

  ReasoningTask task();

  /** The shared test sets the reasoning benches use, the first {@code limit} problems of each. */
  List<ProblemSet<P>> sets(Path data, int limit);

  /** Whether {@code answer} is correct, by the task's own rules (never shown to a search). */
  boolean correct(P problem, X answer);

  Proposer<P, X> uniform();

  /** The AR proposer of a checkpoint, sampling at temperature 1 (the CLI says with which mask). */
  Proposer<P, X> ar(Path checkpoint);

  /** The diffusion proposer of a checkpoint, or null when the task has none. */
  Proposer<P, X> diffusion(Path checkpoint);

  /** How the AR proposer decodes (for the output). */
  String arDecoding();

  EnergySetup<P, X> rule();

  EnergySetup<P, X> learned(Path checkpoint);
}
