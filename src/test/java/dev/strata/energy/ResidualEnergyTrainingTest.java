package dev.strata.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bench.reasoning.CountdownEbm;
import dev.strata.bench.reasoning.PathStarEbm;
import dev.strata.nn.Ops;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownRules;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarCodec;
import dev.strata.tasks.pathstar.PathStarRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidualEnergyTrainingTest {

  /** D=2 L=4 stars over 12 node ids, a small cross-encoder: learns in seconds. */
  static PathStarEbm tiny() {
    return new PathStarEbm(
        12, List.of(new int[] {2, 4}), new CrossEncoderConfig(14, 16, 8, 32, 4, 2), 3);
  }

  @Test
  void crossEncoderScoresStreamsOfDifferentLengthsAndBatchesAgreeWithSingles() {
    Ops.seed(1);
    var net = new CrossEncoderEnergyNet(new CrossEncoderConfig(14, 16, 8, 16, 2, 1));
    var codec = new PathStarCodec(12);
    var energy =
        new LearnedEnergy<PathStar, int[]>(
            net, LearnedEnergy.Encoder.of(codec::prompt, codec::answer), 2);
    var e = tiny().generate(0);
    List<int[]> c =
        List.of(
            e.answer(),
            tiny().perturb(e.problem(), e.answer(), new SplittableRandom(1)),
            e.answer());
    float[] batched = energy.energies(e.problem(), c);
    assertThat(batched).hasSize(3);
    assertThat(batched[2]).isEqualTo(batched[0], org.assertj.core.api.Assertions.within(1e-4f));
    assertThat(energy.energy(e.problem(), c.get(1)))
        .isEqualTo(batched[1], org.assertj.core.api.Assertions.within(1e-4f));
    assertThatThrownBy(
            () -> net.forward(Ops.tensor(new long[20], 1, 20), Ops.tensor(new long[2], 1, 2)))
        .hasMessageContaining("at most 16 problem");
  }

  @Test
  void perturbationsAreAlwaysWrong() {
    var rng = new SplittableRandom(5);
    var ps = PathStarEbm.published(1);
    var cd = new CountdownEbm(1);
    for (int i = 0; i < 200; i++) {
      var p = ps.generate(i);
      assertThat(PathStarRules.solves(p.problem(), p.answer())).isTrue();
      assertThat(PathStarRules.solves(p.problem(), ps.perturb(p.problem(), p.answer(), rng)))
          .isFalse();
      var c = cd.generate(i);
      assertThat(CountdownRules.solves(c.problem(), c.answer())).isTrue();
      String wrong = cd.perturb(c.problem(), c.answer(), rng);
      assertThat(CountdownRules.solves(c.problem(), wrong)).isFalse();
      assertThat(wrong.length()).isLessThanOrEqualTo(40);
    }
  }

  @Test
  void tinyPathStarEnergyRanksHeldOutTruePathsBelowPerturbedOnes(@TempDir Path dir) {
    var task = tiny();
    var o =
        new ResidualEnergyTraining.Options(
            512,
            128,
            0,
            4,
            ResidualEnergyTraining.Options.recipe(0, 400, 16, 1e-2, 7, 100, dir, false));
    var r = ResidualEnergyTraining.run(task, o, null, msg -> {});
    assertThat(r.rankVsPerturbed()).isGreaterThanOrEqualTo(0.9);

    // reloaded from disk, on fresh held-out problems: true path below one perturbation of it
    var loaded = ResidualEnergyTraining.load(dir, PathStarEbm.TASK);
    LearnedEnergy<PathStar, int[]> energy = loaded.energy(task.encoder());
    var rank =
        ResidualEnergyTraining.rankAccuracy(
            task, energy, ResidualEnergyTraining.heldOut(task, 200, 99), 3);
    assertThat(rank.get("rank_vs_perturbed")).isGreaterThanOrEqualTo(0.9);
    assertThat(loaded.calibration().problems()).isEqualTo(128);
    assertThatThrownBy(() -> ResidualEnergyTraining.load(dir, CountdownEbm.TASK))
        .hasMessageContaining("holds a pathstar-ebm energy, not countdown-ebm");
  }

  @Test
  void missingCheckpointGivesAOneLineError(@TempDir Path dir) {
    assertThatThrownBy(() -> ResidualEnergyTraining.load(dir.resolve("nothing"), PathStarEbm.TASK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "energy checkpoint not found: "
                + dir.resolve("nothing")
                + " (run: strata train reasoning --task pathstar-ebm)");
  }

  @Test
  void countdownLeavesAreValidDerivations() {
    var rng = new SplittableRandom(2);
    var p = Countdown.parse("58,11,80,83,81");
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 50; i++)
      wrong.add(new CountdownEbm(1).perturb(p, "80-58=22,22/11=2,83-2=81", rng));
    assertThat(wrong).allSatisfy(w -> assertThat(CountdownRules.solves(p, w)).isFalse());
    assertThat(wrong)
        .anySatisfy(
            w -> { // some are wrong leaves: valid arithmetic, all numbers used, target missed
              float[] t = CountdownRules.terms(p, w);
              assertThat(t[0] + t[1] + t[2] + t[3]).isZero();
            });
  }
}
