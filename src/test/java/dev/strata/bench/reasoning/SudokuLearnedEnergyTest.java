package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.energy.LearnedConflicts;
import dev.strata.search.Budget;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.LearnedPairPropagator;
import dev.strata.search.Outcome;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuPropagation;
import dev.strata.tasks.sudoku.SudokuSolver;
import dev.strata.tasks.sudoku.SudokuTest;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.tasks.sudoku.UniformSudokuProposer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned Sudoku energy end to end at test size: a pairwise energy trained for a few hundred
 * steps on generated puzzles (perturbation negatives only, no proposer) must rank held-out
 * solutions below corrupted grids, separate its pair weights into "seen in solutions" and
 * "conflict", and let the complete search solve puzzles it never saw with no rule consulted.
 */
class SudokuLearnedEnergyTest {
  @TempDir static Path dir;
  static SudokuEbmTraining.Outcome trained;
  static SudokuEbmTraining.Loaded loaded;
  static List<SudokuGenerator.Generated> heldOut;

  @BeforeAll
  static void train() {
    List<SudokuGenerator.Generated> pool = SudokuTraining.pool(200, 30, 40, 11, null);
    heldOut = SudokuTraining.pool(24, 30, 40, 12, null);
    var o =
        new SudokuEbmTraining.Options(
            SudokuEbmTraining.PAIRWISE,
            200,
            0,
            4,
            8,
            SudokuEbmTraining.Options.recipe(0, 800, 16, 3e-2, 3, dir, false));
    trained = SudokuEbmTraining.run(o, null, pool, heldOut, msg -> {});
    loaded = SudokuEbmTraining.load(dir);
  }

  @Test
  void trainedEnergyRanksHeldOutSolutionsBelowCorruptedGrids() {
    assertThat(trained.rankVsPerturbed()).isGreaterThanOrEqualTo(0.95);
    var energy = loaded.energy();
    SplittableRandom rng = new SplittableRandom(5);
    int wins = 0;
    int total = 0;
    for (var g : heldOut) {
      List<SudokuGrid> c = new ArrayList<>();
      c.add(g.solution());
      for (int k = 1; k <= 3; k++)
        c.add(SudokuEbmTraining.perturb(g.puzzle(), g.solution(), k, rng));
      float[] e = energy.energies(g.puzzle(), c);
      for (int i = 1; i < e.length; i++, total++) if (e[0] < e[i]) wins++;
    }
    assertThat((double) wins / total).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void calibrationSeparatesSolutionPairsFromConflictPairs() {
    var c = loaded.calibration();
    assertThat(c.puzzles()).isEqualTo(heldOut.size());
    assertThat(c.maxSolutionPair()).isLessThan(c.minConflictPair());
    assertThat(c.pairThreshold()).isBetween(c.maxSolutionPair(), c.minConflictPair());
  }

  @Test
  void learnedConflictsAreZeroOnSolutionsAndPositiveOnCorruptedGrids() {
    var conflicts =
        new LearnedConflicts<>(
            loaded.tables(), (float) loaded.calibration().pairThreshold(), SudokuEbmTraining.SITES);
    SplittableRandom rng = new SplittableRandom(6);
    for (var g : heldOut) {
      assertThat(conflicts.energy(g.puzzle(), g.solution())).isZero();
      assertThat(
              conflicts.energy(
                  g.puzzle(), SudokuEbmTraining.perturb(g.puzzle(), g.solution(), 1, rng)))
          .isPositive();
    }
    assertThat(conflicts.explain(heldOut.get(0).puzzle(), heldOut.get(0).solution()).terms())
        .containsKey("learned pair conflicts");
  }

  @Test
  void theLearnedWeightsImplyExactlyTheTwentySevenUnits() {
    var propagator =
        new LearnedPairPropagator<>(
            loaded.tables(), (float) loaded.calibration().pairThreshold(), SudokuEbmTraining.SITES);
    java.util.Set<java.util.Set<Integer>> learned = new java.util.HashSet<>();
    for (int[] g : propagator.groups())
      learned.add(java.util.Arrays.stream(g).boxed().collect(java.util.stream.Collectors.toSet()));
    java.util.Set<java.util.Set<Integer>> units = new java.util.HashSet<>();
    for (int[] u : SudokuPropagation.UNITS)
      units.add(java.util.Arrays.stream(u).boxed().collect(java.util.stream.Collectors.toSet()));
    assertThat(learned)
        .as("learned groups %d, calibration %s", learned.size(), loaded.calibration())
        .isEqualTo(units); // compared with the rules only here, in the test
  }

  @Test
  void theLearnedRepairPicksItsSuspectsFromTheLearnedGroups() {
    var learnedMoves = SudokuBench.learnedMoves(loaded);
    var ruleMoves = new dev.strata.tasks.sudoku.SudokuMoves();
    SplittableRandom rng = new SplittableRandom(8);
    for (var g : heldOut) {
      SudokuGrid corrupted = SudokuEbmTraining.perturb(g.puzzle(), g.solution(), 2, rng);
      // the learned groups are the 27 units, so the suspects agree with the rules'
      assertThat(learnedMoves.suspects(g.puzzle(), corrupted))
          .isNotEmpty()
          .containsExactly(ruleMoves.suspects(g.puzzle(), corrupted));
      assertThat(learnedMoves.suspects(g.puzzle(), g.solution())).isEmpty();
    }
  }

  @Test
  void completeSearchPrunedByTheLearnedEnergySolvesUnseenPuzzlesWithoutRules() {
    float tau = (float) loaded.calibration().pairThreshold();
    var dfs =
        new GuidedDepthFirst<>(
            new LearnedPairPropagator<>(loaded.tables(), tau, SudokuEbmTraining.SITES), 1);
    var conflicts = new LearnedConflicts<>(loaded.tables(), tau, SudokuEbmTraining.SITES);
    for (String p : new String[] {SudokuTest.EASY, SudokuTest.HARD, SudokuTest.SEVENTEEN}) {
      SudokuGrid puzzle = SudokuGrid.parse(p);
      Outcome<SudokuGrid> o =
          dfs.run(
              puzzle,
              new UniformSudokuProposer(),
              conflicts,
              new Budget(1_000_000, 1_000_000, Duration.ofSeconds(30), 0));
      assertThat(o.accepted()).isTrue();
      assertThat(o.best()).isEqualTo(SudokuSolver.solve(puzzle).orElseThrow());
    }
  }

  @Test
  void aRunWithoutCalibrationOrCheckpointIsRefusedClearly(@TempDir Path empty) {
    assertThatThrownBy(() -> SudokuEbmTraining.load(empty.resolve("missing")))
        .hasMessageContaining("not found");
  }
}
