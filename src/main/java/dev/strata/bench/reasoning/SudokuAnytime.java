package dev.strata.bench.reasoning;

import dev.strata.energy.LearnedConflicts;
import dev.strata.energy.PairwiseEnergyNet;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.DiffusionProposer;
import dev.strata.propose.DiffusionProposerTraining;
import dev.strata.propose.Proposer;
import dev.strata.search.LearnedPairPropagator;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuConstraints;
import dev.strata.tasks.sudoku.SudokuData;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuMoves;
import dev.strata.tasks.sudoku.SudokuRemasking;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.tasks.sudoku.UniformSudokuProposer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sudoku for {@code strata bench anytime}: {@code sudoku_test.csv}; a grid is correct when it
 * solves the puzzle by the rules (the puzzles have unique solutions). The AR proposer samples
 * without the constraint mask (no rule shapes its answers); the learned pairwise energy brings its
 * own propagator (the conflicts its pair weights imply) and repair moves (the all-different groups
 * they imply) — no rule is read by a learned-energy search.
 */
final class SudokuAnytime implements AnytimeTask<SudokuGrid, SudokuGrid> {
  /** Prompt and answer tokens of the diffusion proposer's sequence. */
  private static final int DIFFUSION_LENGTH = 82 + 81;

  @Override
  public ReasoningTask task() {
    return ReasoningTask.SUDOKU;
  }

  @Override
  public List<ProblemSet<SudokuGrid>> sets(Path data, int limit) {
    List<SudokuGrid> test =
        SudokuData.loadCsv(data.resolve("sudoku-diffusion-vs-ar/sudoku_test.csv")).stream()
            .map(SudokuData.Example::puzzle)
            .toList();
    return List.of(
        new ProblemSet<>("sudoku_test.csv", test.subList(0, Math.min(limit, test.size()))));
  }

  @Override
  public boolean correct(SudokuGrid puzzle, SudokuGrid answer) {
    return SudokuRules.solves(puzzle, answer);
  }

  @Override
  public Proposer<SudokuGrid, SudokuGrid> uniform() {
    return new UniformSudokuProposer();
  }

  @Override
  public Proposer<SudokuGrid, SudokuGrid> ar(Path checkpoint) {
    ArTraining.Loaded m = ArTraining.load(checkpoint, SudokuTraining.TASK);
    return new ArProposer<>(m.model(), new SudokuCodec(), ArProposer.Decoding.sampling(1.0, false));
  }

  @Override
  public Proposer<SudokuGrid, SudokuGrid> diffusion(Path checkpoint) {
    var d = DiffusionProposerTraining.load(checkpoint, SudokuTraining.TASK);
    return DiffusionProposer.easyFirst(
        d.model(), new SudokuCodec(), DIFFUSION_LENGTH, 81, 1.0, AnytimeSearch.BATCH);
  }

  @Override
  public String arDecoding() {
    return "temperature 1, no constraint mask";
  }

  @Override
  public EnergySetup<SudokuGrid, SudokuGrid> rule() {
    SudokuRules rules = new SudokuRules();
    return new EnergySetup<>(
        rules,
        0,
        new Complete<>(new SudokuConstraints(), rules, 0),
        new SudokuMoves(),
        new SudokuRemasking(),
        Map.of());
  }

  @Override
  public EnergySetup<SudokuGrid, SudokuGrid> learned(Path checkpoint) {
    SudokuEbmTraining.Loaded l = SudokuEbmTraining.load(checkpoint);
    String noBlame =
        "remask repair's blame is the rules' violated units; the learned energy names none";
    if (!(l.net() instanceof PairwiseEnergyNet)) {
      return new EnergySetup<>(
          l.energy(),
          l.calibration().acceptBelow(),
          null,
          SudokuBench.learnedMoves(l),
          null,
          Map.of(
              AnytimeSearch.COMPLETE,
              "the " + l.kind() + " energy cannot price partial grids (train it pairwise)",
              AnytimeSearch.REMASK,
              noBlame));
    }
    float tau = (float) l.calibration().pairThreshold();
    return new EnergySetup<>(
        l.energy(),
        l.calibration().acceptBelow(),
        new Complete<>(
            new LearnedPairPropagator<>(l.tables(), tau, SudokuEbmTraining.SITES),
            new LearnedConflicts<>(l.tables(), tau, SudokuEbmTraining.SITES),
            0),
        SudokuBench.learnedMoves(l),
        null,
        Map.of(AnytimeSearch.REMASK, noBlame));
  }
}
