package dev.strata.tasks.sudoku;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.propose.Denoiser;
import dev.strata.propose.DiffusionProposer;
import dev.strata.propose.LowConfidenceSampler;
import dev.strata.search.BestOfN;
import dev.strata.search.Budget;
import dev.strata.search.Outcome;
import dev.strata.search.RemaskRepair;
import org.junit.jupiter.api.Test;

/**
 * Energy-guided remasking with a masked-diffusion proposer: the rule energy blames cells, the
 * denoiser refills them.
 */
class SudokuRemaskRepairTest {
  static final SudokuGrid PUZZLE =
      SudokuGrid.parse(
          "080050060460907108005000029970006500000872031300049000004025003010000480603100007");
  static final SudokuGrid SOLUTION =
      SudokuGrid.parse(
          "789251364462937158135468729978316542546872931321549876894725613217693485653184297");

  /**
   * A denoiser that half knows the solution: every masked answer cell puts {@code confidence} on
   * the solution's digit and the rest on one decoy digit (the next one), so a drawn digit's
   * confidence does not tell a right draw from a wrong one; unmasked positions are a point mass
   * (SUBS).
   */
  record Oracle(double confidence) implements Denoiser {
    @Override
    public int vocab() {
      return 11;
    }

    @Override
    public Tensor logProbs(Tensor xt) {
      long[] x = Ops.longs(xt);
      int b = (int) xt.size(0);
      int len = (int) xt.size(1);
      float[] lp = new float[b * len * 11];
      for (int r = 0; r < b; r++) {
        for (int i = 0; i < len; i++) {
          long seen = x[r * len + i];
          int truth = i >= 82 ? SOLUTION.get(i - 82) : 0;
          int decoy = truth % 9 + 1;
          for (int v = 0; v < 11; v++) {
            double p =
                seen != 11
                    ? (v == seen ? 1 : 0)
                    : v == truth ? confidence : v == decoy ? 1 - confidence : 0;
            lp[(r * len + i) * 11 + v] = (float) Math.log(p);
          }
        }
      }
      return Ops.tensor(lp, b, len, 11);
    }
  }

  static DiffusionProposer<SudokuGrid, SudokuGrid> proposer(double confidence, double temperature) {
    return new DiffusionProposer<>(
        new Oracle(confidence),
        new SudokuCodec(),
        new LowConfidenceSampler(81, 163, temperature),
        8);
  }

  @Test
  void aPlantedWrongCellIsBlamedRemaskedAndRefilled() {
    int cell = 0; // a blank of the puzzle: the solution has 7 there
    assertThat(PUZZLE.get(cell)).isZero();
    SudokuGrid wrong = SOLUTION.with(cell, 8); // 8 repeats in row 1 (cell 1 is a given 8)
    assertThat(new SudokuRemasking().blamed(PUZZLE, wrong))
        .contains(cell)
        .doesNotContain(1); // givens are never opened
    var repair = new RemaskRepair<SudokuGrid, SudokuGrid>(new SudokuRemasking(), 1, 1.0, 0, 3, 1);
    Outcome<SudokuGrid> o =
        repair.from(PUZZLE, wrong, proposer(1.0, 0), new SudokuRules(), Budget.proposals(10, 0));
    assertThat(o.accepted()).isTrue();
    assertThat(o.best()).isEqualTo(SOLUTION);
    assertThat(o.proposals()).isEqualTo(2); // the planted answer and one refill
  }

  @Test
  void repairReachesZeroEnergyWhereBestOfNWithTheSameBudgetDoesNot() {
    // a coin-flip denoiser: each blank drawn right with probability 1/2, a whole sample right with
    // probability 2^-45
    var noisy = proposer(0.5, 1.0);
    Budget budget = Budget.proposals(120, 0);
    Outcome<SudokuGrid> repaired =
        new RemaskRepair<SudokuGrid, SudokuGrid>(new SudokuRemasking(), 4, 0.25, 0.0, 6, 7)
            .run(PUZZLE, noisy, new SudokuRules(), budget);
    assertThat(repaired.accepted())
        .as("energy %s after %d proposals", repaired.energy(), repaired.proposals())
        .isTrue();
    assertThat(repaired.best()).isEqualTo(SOLUTION);
    Outcome<SudokuGrid> sampled =
        new BestOfN<SudokuGrid, SudokuGrid>(8, 7).run(PUZZLE, noisy, new SudokuRules(), budget);
    assertThat(sampled.accepted()).isFalse();
  }
}
