package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.propose.ArProposer;
import dev.strata.propose.ArProposerTest;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuTraining;
import org.junit.jupiter.api.Test;

/**
 * The proposer's samples that the Sudoku energy trains on as negatives keep the clues and nothing
 * else: no constraint mask removes the digits a row, column or box peer holds, so no rule shapes
 * the energy's training data.
 */
class SudokuEbmNegativesTest {
  /**
   * Cells where {@code g} holds a digit the constraint mask would have refused although it allowed
   * some digit there (the mask recomputed from {@code g}'s own earlier cells).
   */
  static int maskBreaks(SudokuGrid puzzle, SudokuGrid g) {
    SudokuCodec codec = new SudokuCodec();
    long[] answer = codec.answer(puzzle, g);
    int breaks = 0;
    for (int c = 0; c < 81; c++) {
      boolean[] ok = codec.allowed(puzzle, answer, c);
      boolean any = false;
      for (int d = 1; d <= 9; d++) any |= ok[d];
      if (any && !ok[(int) answer[c]]) breaks++;
    }
    return breaks;
  }

  @Test
  void proposerNegativesKeepTheCluesAndAreNotMaskedByTheRules() {
    var pool = SudokuTraining.pool(3, 30, 40, 5, null);
    // the proposer as the CLI builds it, masked: the negatives must not inherit its mask
    var ar =
        new ArProposer<>(
            ArProposerTest.tinyModel(), new SudokuCodec(), ArProposer.Decoding.sampling(1.0, true));
    var items = SudokuEbmTraining.withArNegatives(pool, ar, 4, 7, msg -> {});
    int negatives = 0;
    int breaks = 0;
    for (var it : items) {
      for (SudokuGrid g : it.arNegatives()) {
        negatives++;
        for (int c = 0; c < 81; c++)
          if (it.puzzle().get(c) != 0) assertThat(g.get(c)).isEqualTo(it.puzzle().get(c));
        breaks += maskBreaks(it.puzzle(), g);
      }
    }
    assertThat(negatives).isPositive();
    // under the mask every choice with an allowed digit would be an allowed one
    assertThat(breaks).isPositive();
  }
}
