package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.energy.Energy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArProposerTest;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.propose.RandomSource;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGrid;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Beam search over the proposer's tokens with a fitted prefix value, on the untrained tiny model of
 * ArProposerTest.
 */
class ValueBeamTest {
  static final SudokuGrid PUZZLE = SudokuGrid.parse(ArProposerTest.EASY);

  /** A toy energy a value head can learn: how many cells hold {@code digit}. */
  static Energy<SudokuGrid, SudokuGrid> count(int digit) {
    return (p, xs) -> {
      float[] e = new float[xs.size()];
      for (int i = 0; i < e.length; i++)
        for (int c = 0; c < 81; c++) if (xs.get(i).get(c) == digit) e[i]++;
      return e;
    };
  }

  @Test
  void widthOneWithoutValueIsGreedyDecoding() {
    var ar =
        new ArProposer<>(
            ArProposerTest.tinyModel(), new SudokuCodec(), ArProposer.Decoding.greedy(false));
    var head = new PrefixValueHead(11, 32, new double[11 * 33]);
    var beam = new ValueBeamProposer<>(ar, head, 0, 1);
    assertThat(beam.propose(PUZZLE, 1, new RandomSource(1)).get(0))
        .isEqualTo(ar.propose(PUZZLE, 1, new RandomSource(1)).get(0));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"AA", "MST"})
  void beamsCarryTheirOwnLikelihoodSoTheStatesFollowTheirParents(String pattern) {
    dev.strata.nn.Ops.seed(3);
    CausalLm model =
        new CausalLm(
            new LmConfig(
                "test", 11, 32, pattern, 2, 8, 8, 2, 8, 162)); // KV caches; SSM and memory states
    var codec = new SudokuCodec();
    var ar = new ArProposer<>(model, codec, ArProposer.Decoding.greedy(false));
    var beams =
        new ValueBeamProposer<>(ar, new PrefixValueHead(11, 32, new double[11 * 33]), 0, 4)
            .beam(PUZZLE, null, 4);
    assertThat(beams).hasSize(4);
    float[] e =
        new ArLikelihoodEnergy<>(model, codec, 4)
            .energies(PUZZLE, beams.stream().map(ArProposer.Sample::candidate).toList());
    for (int i = 0; i < beams.size(); i++) {
      // a wrong reorder would decode a beam's tokens against another beam's state: its log π would
      // disagree
      if (beams.get(i).candidate().filled() == 81)
        assertThat((double) e[i]).isCloseTo(-beams.get(i).logProb(), within(2e-3 * 81));
      if (i > 0)
        assertThat(beams.get(i).logProb()).isLessThanOrEqualTo(beams.get(i - 1).logProb() + 1e-9);
    }
  }

  @Test
  void aFittedValueSteersTheBeamAwayFromCostlyTokens() {
    var ar =
        new ArProposer<>(
            ArProposerTest.tinyModel(),
            new SudokuCodec(),
            ArProposer.Decoding.sampling(1.0, false));
    var untrained = new PrefixValueHead(11, 32, new double[11 * 33]);
    SudokuGrid plain =
        new ValueBeamProposer<>(ar, untrained, 0, 4).propose(PUZZLE, 1, new RandomSource(1)).get(0);
    int[] seen = new int[10];
    for (int c = 0; c < 81; c++) seen[plain.get(c)]++;
    int digit = 1;
    for (int d = 2; d <= 9; d++)
      if (seen[d] > seen[digit]) digit = d; // the digit the plain beam uses most
    var energy = count(digit);
    var fit =
        PrefixValueHead.fit(
            ar,
            List.of(PUZZLE, SudokuGrid.parse(ArProposerTest.OTHER)),
            16,
            energy,
            1e-3,
            new RandomSource(7));
    assertThat(fit.pairs()).isEqualTo(2 * 16 * 81);
    assertThat(fit.r2()).isBetween(0.0, 1.0);
    SudokuGrid steered =
        new ValueBeamProposer<>(ar, fit.head(), 5, 4)
            .propose(PUZZLE, 1, new RandomSource(1))
            .get(0);
    assertThat(energy.energy(PUZZLE, steered)).isLessThan(energy.energy(PUZZLE, plain));
  }

  @Test
  void choleskySolvesASymmetricSystem() {
    double[] a = {4, 2, 0, 2, 5, 1, 0, 1, 3};
    double[] x = PrefixValueHead.solve(a, new double[] {6, 8, 4}, 3);
    assertThat(x[0]).isCloseTo(1, within(1e-12));
    assertThat(x[1]).isCloseTo(1, within(1e-12));
    assertThat(x[2]).isCloseTo(1, within(1e-12));
  }

  @Test
  void badSettingsAreRefused() {
    var ar =
        new ArProposer<>(
            ArProposerTest.tinyModel(), new SudokuCodec(), ArProposer.Decoding.greedy(false));
    var head = new PrefixValueHead(11, 32, new double[11 * 33]);
    assertThatThrownBy(() -> new ValueBeamProposer<>(ar, head, 0, 0)).hasMessageContaining("width");
    assertThatThrownBy(() -> new ValueBeamProposer<>(ar, head, -1, 2)).hasMessageContaining("β");
  }
}
