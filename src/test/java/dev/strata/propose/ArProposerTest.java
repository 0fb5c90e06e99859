package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Ops;
import dev.strata.search.ArLikelihoodEnergy;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.SudokuSolver;
import dev.strata.train.Recipe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AR proposer on an untrained tiny model: decoding mechanics, masks, fixed cells, likelihoods,
 * batching.
 */
public class ArProposerTest {
  public static final String EASY =
      "080050060460907108005000029970006500000872031300049000004025003010000480603100007";
  public static final String OTHER =
      "024000390370061000500000020230700460060004508005900170040000080000093007096015040";

  public static CausalLm tinyModel() {
    Ops.seed(3);
    return new CausalLm(new LmConfig("test", 11, 32, "AA", 2, 8, 8, 2, 8, 162));
  }

  @Test
  void maskedGreedyKeepsCluesAndNeverRepeatsADigitWhileItCanAvoidIt() {
    var ar = new ArProposer<>(tinyModel(), new SudokuCodec(), ArProposer.Decoding.greedy(true));
    SudokuGrid puzzle = SudokuGrid.parse(EASY);
    SudokuGrid g = ar.propose(puzzle, 1, new RandomSource(1)).get(0);
    int[] t = SudokuRules.terms(puzzle, g);
    assertThat(t[3]).as("clue mismatches").isZero();
    assertThat(t[4]).as("blanks").isZero();
    // without the mask the untrained model ignores the clues
    var free = ar.with(ArProposer.Decoding.greedy(false));
    assertThat(SudokuRules.terms(puzzle, free.propose(puzzle, 1, new RandomSource(1)).get(0))[3])
        .isPositive();
  }

  @Test
  void completeKeepsEveryFixedCell() {
    var ar =
        new ArProposer<>(tinyModel(), new SudokuCodec(), new ArProposer.Decoding(1.0, 3, false, 8));
    SudokuGrid puzzle = SudokuGrid.parse(EASY);
    SudokuGrid solution = SudokuSolver.solve(puzzle).orElseThrow();
    SudokuGrid partial = puzzle;
    for (int c = 0; c < 40; c++) partial = partial.with(c, solution.get(c));
    for (SudokuGrid g : ar.complete(puzzle, partial, 3, new RandomSource(2))) {
      for (int c = 0; c < 81; c++)
        if (partial.get(c) != 0) assertThat(g.get(c)).isEqualTo(partial.get(c));
    }
  }

  @Test
  void sampleLogProbabilityIsTheNegativeArInducedEnergy() {
    CausalLm model = tinyModel();
    var codec = new SudokuCodec();
    var ar = new ArProposer<>(model, codec, ArProposer.Decoding.sampling(1.0, false));
    SudokuGrid puzzle = SudokuGrid.parse(EASY);
    List<ArProposer.Sample<SudokuGrid>> s =
        ar.sample(List.of(puzzle, puzzle, puzzle), null, new RandomSource(4));
    // candidates decoded back (stray separators read as blanks) must re-encode to what was sampled
    // for this check
    float[] e =
        new ArLikelihoodEnergy<>(model, codec, 2)
            .energies(puzzle, s.stream().map(ArProposer.Sample::candidate).toList());
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).candidate().filled() == 81)
        assertThat((double) e[i]).isCloseTo(-s.get(i).logProb(), within(2e-3 * 81));
    }
  }

  @Test
  void batchedDecodingMatchesOneAtATimeAndIsReproducible() {
    var ar = new ArProposer<>(tinyModel(), new SudokuCodec(), ArProposer.Decoding.greedy(false));
    SudokuGrid a = SudokuGrid.parse(EASY);
    SudokuGrid b = SudokuGrid.parse(OTHER);
    var both = ar.sample(List.of(a, b), null, new RandomSource(1));
    assertThat(both.get(0).candidate()).isEqualTo(ar.propose(a, 1, new RandomSource(9)).get(0));
    assertThat(both.get(1).candidate()).isEqualTo(ar.propose(b, 1, new RandomSource(9)).get(0));
    var sampler = ar.with(ArProposer.Decoding.sampling(1.0, true));
    assertThat(sampler.propose(a, 4, new RandomSource(5)))
        .isEqualTo(sampler.propose(a, 4, new RandomSource(5)));
  }

  @Test
  void trainingOnAnswerTokensLowersTheLoss(@org.junit.jupiter.api.io.TempDir Path dir) {
    // a copy task: the answer repeats the prompt's 8 digits
    ArTraining.ExampleSource copy =
        i -> {
          var rng = new java.util.SplittableRandom(i);
          long[] prompt = new long[9];
          long[] answer = new long[8];
          for (int k = 0; k < 8; k++) prompt[k] = answer[k] = rng.nextInt(10);
          prompt[8] = 10;
          return new ArTraining.Example(prompt, answer);
        };
    var o =
        new ArTraining.Options(
            "copy",
            new LmConfig("test", 11, 32, "AA", 2, 8, 8, 2, 8, 16),
            new Recipe(0, 150, 32, 3e-3, 3e-3 / 10, 10, 0.0, 1.0, 1, 150, dir, false),
            64);
    ArTraining.Outcome r = ArTraining.run(o, copy, i -> copy.example(1_000_000 + i), false);
    assertThat(r.steps()).isEqualTo(150);
    assertThat(r.valLoss()).isLessThan(1.0); // from ln 10 ≈ 2.3
    assertThat(ArTraining.load(dir, "copy").step()).isEqualTo(150);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArTraining.load(dir, "sudoku"))
        .hasMessageContaining("holds a copy proposer");
  }
}
