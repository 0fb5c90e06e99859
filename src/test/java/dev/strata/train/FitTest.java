package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared recipe: exact resume through {@link Fit}, its schedule, and refused recipes. */
class FitTest {
  @TempDir Path dir;

  private static Recipe recipe(long steps, Path out) {
    return Recipe.of(0, steps, 8, 1e-2)
        .withLr(1e-2, 1e-3, 4)
        .withWeightDecay(0.1)
        .withSeed(3)
        .withEvalEvery(3)
        .withOut(out);
  }

  /** MSE on the batch of step {@code step}: libtorch's RNG plus a shift by the step. */
  private static Tensor loss(TinyRegression.Mlp model, long step) {
    Tensor x = Ops.add(Ops.randn(8, 4), 0.01 * (step % 7));
    Tensor y = Ops.sum(x.sin(), true, -1);
    return Ops.mean(Ops.pow(model.forward(x).sub(y), 2), false);
  }

  private static Fit fit(Recipe r, TinyRegression t) {
    return Fit.of(r, t.model, step -> loss(t.model, step))
        .eval(step -> Map.of("val", t.evalLoss())) // consumes RNG: must not perturb training
        .logEvery(1)
        .handleInterrupt(false)
        .modelConfig(steps -> "{\"steps\":" + steps + "}");
  }

  @Test
  void anInterruptedAndResumedFitEqualsAnUninterruptedOne() {
    long n = 20;
    TinyRegression straight = new TinyRegression(1);
    TrainResult full = fit(recipe(n, dir.resolve("full")), straight).run();
    assertThat(full.reason()).isEqualTo(TrainResult.StopReason.MAX_STEPS);
    assertThat(full.step()).isEqualTo(n);

    Recipe split = recipe(n, dir.resolve("split"));
    TrainResult half = fit(split, new TinyRegression(1)).stopAfter(n / 2).run();
    assertThat(half.reason()).isEqualTo(TrainResult.StopReason.INTERRUPTED);
    assertThat(half.step()).isEqualTo(n / 2);
    assertThat(half.checkpoint()).isEqualTo(split.checkpoints().resolve("step-00000010"));
    assertThat(Checkpoint.readState(split.checkpoints()).modelConfig()).isEqualTo("{\"steps\":20}");

    TinyRegression second = new TinyRegression(77); // everything must come from the checkpoint
    TrainResult rest = fit(split, second).run(true);
    assertThat(rest.step()).isEqualTo(n);
    assertThat(rest.loss()).isEqualTo(full.loss());
    List<float[]> expected = straight.parameters();
    List<float[]> actual = second.parameters();
    for (int i = 0; i < expected.size(); i++)
      assertThat(actual.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
    assertThat(MetricsLog.xy(rest.series("loss"))[1])
        .containsExactly(MetricsLog.xy(full.series("loss"))[1]);
    assertThat(rest.metrics()).isEqualTo(split.metrics());
  }

  @Test
  void theScheduleWarmsUpOverAtMostATenthOfTheStepsAndEndsAtMinLr() {
    long n = 20; // warm-up 4 capped at 20 / 10 = 2
    TrainResult r = fit(recipe(n, dir.resolve("run")), new TinyRegression(1)).run();
    double[] lr = MetricsLog.xy(r.series("lr"))[1];
    LrSchedule expected = LrSchedule.warmupCosine(1e-2, 1e-3, 2, n);
    for (int i = 0; i < n; i++)
      assertThat(lr[i]).as("lr of step %d", i + 1).isEqualTo(expected.lr(i));
    assertThat(lr[1]).isEqualTo(1e-2);
  }

  @Test
  void aPacedRunWithoutStepsSchedulesOverTheBudget() {
    Recipe r = Recipe.of(2, 0, 8, 1e-2).withLr(1e-2, 1e-3, 50).withOut(dir.resolve("paced"));
    TinyRegression t = new TinyRegression(1);
    TrainResult res = fit(r, t).pace(0.5, 100, 5).run(); // horizon max(100, 2 / 0.5) = 100
    assertThat(res.step()).isEqualTo(5);
    double[] lr = MetricsLog.xy(res.series("lr"))[1];
    LrSchedule expected = LrSchedule.warmupCosine(1e-2, 1e-3, 10, 100);
    for (int i = 0; i < lr.length; i++) assertThat(lr[i]).isEqualTo(expected.lr(i));
  }

  @Test
  void aRecipeWithNeitherBudgetNorStepsIsRefused() {
    assertThatThrownBy(() -> Recipe.of(0, 0, 8, 1e-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give a time budget or a number of steps");
    assertThatThrownBy(() -> Recipe.of(0, 10, 8, 1e-2).withLr(1e-2, 1e-1, 0))
        .hasMessageContaining("minimum learning rate");
    assertThatThrownBy(
            () -> Fit.of(Recipe.of(60, 0, 8, 1e-2), new TinyRegression(1).model, s -> null).run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("plan() or pace()");
  }
}
