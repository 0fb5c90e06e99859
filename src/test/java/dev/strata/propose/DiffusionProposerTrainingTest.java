package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.Recipe;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masked-diffusion proposer's training loop: it learns, it is reproducible, its checkpoints say
 * what they hold.
 */
class DiffusionProposerTrainingTest {
  /** A copy task: the answer repeats the prompt's 8 digits (prompt: 8 digits and a separator). */
  static final ArTraining.ExampleSource COPY =
      i -> {
        var rng = new SplittableRandom(i);
        long[] prompt = new long[9];
        long[] answer = new long[8];
        for (int k = 0; k < 8; k++) prompt[k] = answer[k] = rng.nextInt(10);
        prompt[8] = 10;
        return new ArTraining.Example(prompt, answer);
      };

  static DiffusionProposerTraining.Options options(Path dir, long steps, double gamma) {
    return new DiffusionProposerTraining.Options(
        "copy",
        DiffusionConfig.tiny(11, 17),
        gamma,
        new Recipe(0, steps, 32, 3e-3, 3e-3 / 10, 10, 0.0, 1.0, 1, steps, dir, false),
        64);
  }

  @Test
  void optionsKeepTheNewestThreeCheckpointsUnlessToldAndRefuseANegativeCount(@TempDir Path dir) {
    assertThat(options(dir, 1, 0).keepCheckpoints()).isEqualTo(ArTraining.KEEP).isEqualTo(3);
    assertThatThrownBy(
            () ->
                new DiffusionProposerTraining.Options(
                    "copy", DiffusionConfig.tiny(11, 17), 0, options(dir, 1, 0).recipe(), 64, -1))
        .hasMessageContaining("--keep-checkpoints must be ≥ 0");
    assertThat(
            new DiffusionProposerTraining.Options(
                    "copy", DiffusionConfig.tiny(11, 17), 0, options(dir, 1, 0).recipe(), 64, 0)
                .keepCheckpoints())
        .isZero();
  }

  @Test
  void learnsToCopyThePromptIntoTheMaskedAnswer(@TempDir Path dir) {
    ArTraining.Outcome r =
        DiffusionProposerTraining.run(
            options(dir, 100, 0), COPY, i -> COPY.example(1_000_000 + i), false);
    assertThat(r.steps()).isEqualTo(100);
    assertThat(r.valTokenAccuracy()).isGreaterThan(0.6); // chance: 0.1
    assertThat(r.valLoss()).isLessThan(1.2); // from ln 11 ≈ 2.4 nats per answer token
    var loaded = DiffusionProposerTraining.load(dir, "copy");
    assertThat(loaded.step()).isEqualTo(100);
    // the trained denoiser, easy-first, copies an unseen prompt
    var codec = new CopyCodec();
    var proposer =
        new DiffusionProposer<>(loaded.model(), codec, new LowConfidenceSampler(8, 17, 0), 8);
    int right = 0;
    for (int i = 0; i < 20; i++) {
      long[] digits = java.util.Arrays.copyOf(COPY.example(2_000_000 + i).prompt(), 8);
      if (java.util.Arrays.equals(proposer.propose(digits, 1, new RandomSource(i)).get(0), digits))
        right++;
    }
    assertThat(right).isGreaterThanOrEqualTo(10);
  }

  @Test
  void twoRunsWithOneSeedAgreeAndResumingAFinishedRunTrainsNoFurther(@TempDir Path dir) {
    DiffusionProposerTraining.run(options(dir.resolve("a"), 6, 2.0), COPY, COPY, false);
    DiffusionProposerTraining.run(options(dir.resolve("b"), 6, 2.0), COPY, COPY, false);
    ArTraining.Outcome resumed =
        DiffusionProposerTraining.run(options(dir.resolve("b"), 6, 2.0), COPY, COPY, true);
    assertThat(resumed.steps()).isEqualTo(6);
    var a = DiffusionProposerTraining.load(dir.resolve("a"), "copy").model().stateDict();
    var b = DiffusionProposerTraining.load(dir.resolve("b"), "copy").model().stateDict();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet())
      assertThat(Ops.item(a.get(k).sub(b.get(k)).abs().max())).as(k).isZero();
    assertThat(DiffusionProposerTraining.load(dir.resolve("a"), "copy").spec().focalGamma())
        .isEqualTo(2.0);
  }

  @Test
  void mgdmTokenReweightingShrinksEasyTokensMore() {
    Ops.seed(3);
    MaskedDiffusionLm m = new MaskedDiffusionLm(DiffusionConfig.tiny(11, 17));
    Tensor[] io = DiffusionProposerTraining.inputs(ArTraining.batch(COPY, 0, 16));
    byte[] rng = Ops.rngState();
    double plain = Ops.item(m.loss(io[0], io[1], 0));
    Ops.setRngState(rng);
    double focal = Ops.item(m.loss(io[0], io[1], 2));
    // same masks; every term ℓ becomes α(1 − e^{−ℓ})²·ℓ < α·ℓ
    assertThat(focal).isPositive().isLessThan(MaskedDiffusionLm.FOCAL_ALPHA * plain);
  }

  @Test
  void eachLoaderRefusesTheOtherKindOfCheckpointInOneLine(@TempDir Path dir) {
    DiffusionProposerTraining.run(options(dir.resolve("diffusion"), 1, 0), COPY, COPY, false);
    var ar =
        new ArTraining.Options(
            "copy",
            new LmConfig("test", 11, 32, "A", 2, 8, 8, 2, 8, 16),
            new Recipe(0, 1, 8, 3e-3, 3e-3 / 10, 1, 0.0, 1.0, 1, 1, dir.resolve("ar"), false),
            8);
    ArTraining.run(ar, COPY, COPY, false);
    assertThatThrownBy(() -> ArTraining.load(dir.resolve("diffusion"), "copy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds a masked-diffusion proposer");
    assertThatThrownBy(() -> DiffusionProposerTraining.load(dir.resolve("ar"), "copy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds an autoregressive proposer");
    assertThatThrownBy(() -> DiffusionProposerTraining.load(dir.resolve("diffusion"), "sudoku"))
        .hasMessageContaining("holds a copy diffusion proposer, not sudoku");
  }

  /** Problem: 8 digits; answer: 8 digits. */
  static final class CopyCodec implements SequenceCodec<long[], long[]> {
    @Override
    public int vocab() {
      return 11;
    }

    @Override
    public long[] prompt(long[] digits) {
      long[] p = java.util.Arrays.copyOf(digits, 9);
      p[8] = 10;
      return p;
    }

    @Override
    public int answerLength(long[] digits) {
      return 8;
    }

    @Override
    public long[] answer(long[] digits, long[] candidate) {
      return candidate.clone();
    }

    @Override
    public long[] decode(long[] digits, long[] answer) {
      return answer.clone();
    }

    @Override
    public long fixed(long[] digits, long[] partial, int t) {
      return partial[t] < 0 ? -1 : partial[t];
    }
  }
}
