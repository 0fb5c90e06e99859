package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.propose.ArTraining;
import dev.strata.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RLOO on the toy task of {@link ExpertIterationTest}: no supervised data, the proposer starts
 * untrained and learns only from the rule energy's reward on its own samples.
 */
class RlooRoundsTest {

  static ExpertIteration.Config config(int rounds, long steps, double kl) {
    return ExpertIterationTest.config(rounds).withRl(new RlooRounds.Settings(steps, kl, 0, 0.2));
  }

  static ExpertIteration.Result run(Path base, Path out, int rounds, long steps, boolean resume) {
    List<String> log = new ArrayList<>();
    ExpertIteration.Result r =
        new RlooRounds<>(config(rounds, steps, 0.05), ExpertIterationTest.task(), false)
            .run(base, out, resume, log::add);
    assertThat(log).anyMatch(l -> l.contains("RLOO steps") && l.contains("informative"));
    return r;
  }

  @Test
  void anUntrainedProposerImprovesOnItsHeldOutPassRateUnderRloo(@TempDir Path dir)
      throws Exception {
    Path base = ExpertIterationTest.untrained(dir);
    ExpertIteration.Result r = run(base, dir.resolve("out"), 2, 30, false);
    List<ExpertRound> rounds = r.rounds();
    assertThat(rounds).hasSize(3);
    double before = rounds.get(0).heldOut().pass1();
    double after = rounds.get(2).heldOut().pass1();
    assertThat(after)
        .as("held-out pass@1 before %.2f, after %.2f", before, after)
        .isGreaterThanOrEqualTo(before + 0.5);
    ExpertRound first = rounds.get(1);
    assertThat(first.steps()).isEqualTo(30);
    assertThat(first.problems()).isEqualTo(30 * 16);
    assertThat(first.skipped()).as("problems equal to a held-out one, left out").isPositive();
    assertThat(first.informativeGroups()).isGreaterThan(0).isLessThanOrEqualTo(1);
    assertThat(first.cumulativeCpuSeconds()).isPositive();
    assertThat(Files.readString(r.json())).contains("\"rloo\"").contains("\"informativeGroups\"");
    // the rounds read back with their RLOO settings
    assertThat(ExpertRoundFiles.read(dir.resolve("out"), 2, config(2, 30, 0.05)).round())
        .isEqualTo(rounds.get(2));
  }

  @Test
  void resumingAfterARoundEqualsRunningThrough(@TempDir Path dir) throws Exception {
    Path base = ExpertIterationTest.untrained(dir);
    ExpertIteration.Result through = run(base, dir.resolve("a"), 2, 4, false);
    run(base, dir.resolve("b"), 1, 4, false);
    ExpertIteration.Result resumed = run(base, dir.resolve("b"), 2, 4, true);
    for (int k = 0; k <= 2; k++) {
      ExpertRound x = through.rounds().get(k);
      ExpertRound y = resumed.rounds().get(k);
      assertThat(y.heldOut()).isEqualTo(x.heldOut());
      assertThat(List.of(y.accepted(), y.informativeGroups(), y.skipped()))
          .isEqualTo(List.of(x.accepted(), x.informativeGroups(), x.skipped()));
    }
    Path a = Checkpoint.resolve(dir.resolve("a/round-002/checkpoints"));
    Path b = Checkpoint.resolve(dir.resolve("b/round-002/checkpoints"));
    assertThat(Files.readAllBytes(b.resolve(Checkpoint.MODEL_FILE)))
        .isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.MODEL_FILE)));
    // resuming with another KL weight is refused in one line
    assertThatThrownBy(
            () ->
                new RlooRounds<>(config(3, 4, 0.1), ExpertIterationTest.task(), false)
                    .run(base, dir.resolve("b"), true, s -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other settings");
  }

  @Test
  void theSupervisedBaselineMatchesAnRlooRun(@TempDir Path dir) {
    Path base = ExpertIterationTest.untrained(dir);
    run(base, dir.resolve("rloo"), 1, 4, false);
    ArTraining.ExampleSource solutions =
        i -> {
          int n = (int) (i % 90);
          return new ArTraining.Example(
              new long[] {n / 10, n % 10, 11}, new long[] {ExpertIterationTest.valid(n)});
        };
    ExpertIteration.Result r =
        new SupervisedRounds<>(ExpertIterationTest.task(), solutions, false)
            .run(base, dir.resolve("rloo"), dir.resolve("sup"), false, s -> {});
    assertThat(r.rounds()).hasSize(2);
    assertThat(r.rounds().get(1).steps()).isPositive();
    assertThat(ExpertRoundFiles.read(dir.resolve("sup"), 1, null).config().rl())
        .as("the baseline trains supervised, without RLOO's settings")
        .isNull();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new RlooRounds.Settings(0, 0.05, 0, 0.2))
        .hasMessageContaining("--steps");
    assertThatThrownBy(() -> new RlooRounds.Settings(10, -1, 0, 0.2)).hasMessageContaining("--kl");
    assertThatThrownBy(() -> new RlooRounds.Settings(10, 0, -1, 0.2))
        .hasMessageContaining("--shaping");
    assertThatThrownBy(
            () ->
                new ExpertIteration.Config(
                    "toy",
                    1,
                    30,
                    1,
                    1.0,
                    8,
                    "best-of",
                    ExpertIteration.Start.PREVIOUS,
                    1,
                    16,
                    1e-2,
                    8,
                    3,
                    new RlooRounds.Settings(10, 0, 0, 0.2)))
        .hasMessageContaining("--samples must be ≥ 2");
  }
}
