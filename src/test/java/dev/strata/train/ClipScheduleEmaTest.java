package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Linear;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/** Global-norm clipping, warm-up + cosine, and the parameter EMA. */
class ClipScheduleEmaTest {
  /** Leaves with gradients (3, 4) and (12): global norm √(9 + 16 + 144) = 13. */
  private static List<Tensor> withGradients() {
    Tensor a = Ops.requireGrad(Ops.zeros(2));
    Tensor b = Ops.requireGrad(Ops.zeros(1));
    Tensor loss =
        Ops.sum(a.mul(Ops.tensor(new float[] {3, 4}, 2)), false)
            .add(Ops.sum(Ops.mul(b, 12), false));
    loss.backward();
    return List.of(a, b, Ops.requireGrad(Ops.zeros(3))); // the third has no gradient and is skipped
  }

  @Test
  void clipScalesToTheMaxNormAndReturnsThePreClipNorm() {
    try (PointerScope s = new PointerScope()) {
      List<Tensor> p = withGradients();
      assertThat(GradClip.globalNorm(p)).isCloseTo(13, within(1e-6));
      assertThat(GradClip.clip(p, 1.0)).isCloseTo(13, within(1e-6));
      assertThat(GradClip.globalNorm(p)).isCloseTo(1.0, within(1e-6));
      assertThat(Ops.floats(Ops.grad(p.get(0)))[0]).isCloseTo(3f / 13, within(1e-6f));
      // Below the limit nothing changes.
      assertThat(GradClip.clip(p, 5.0)).isCloseTo(1.0, within(1e-6));
      assertThat(GradClip.globalNorm(p)).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void warmupThenCosineToTheMinimum() {
    LrSchedule.WarmupCosine s = LrSchedule.warmupCosine(1.0, 0.1, 4, 14);
    assertThat(s.lr(0)).isEqualTo(0.25);
    assertThat(s.lr(3)).isEqualTo(1.0);
    assertThat(s.lr(4)).isEqualTo(1.0);
    assertThat(s.lr(9)).isCloseTo(0.55, within(1e-12)); // half-way: min + (peak − min)/2
    assertThat(s.lr(14)).isEqualTo(0.1);
    assertThat(s.lr(1000)).isEqualTo(0.1);
    for (long i = 4; i < 14; i++) assertThat(s.lr(i + 1)).isLessThan(s.lr(i));
    assertThat(LrSchedule.constant(3e-4).lr(123)).isEqualTo(3e-4);
  }

  @Test
  void emaAveragesAndSwapsInAndOut() {
    try (PointerScope s = new PointerScope()) {
      Linear lin = new Linear(2, 1);
      try (var g = Ops.noGrad()) {
        lin.weight.copy_(Ops.tensor(new float[] {1, 1}, 1, 2));
      }
      Ema ema = new Ema(lin);
      try (var g = Ops.noGrad()) {
        lin.weight.copy_(Ops.tensor(new float[] {3, 5}, 1, 2));
      }
      ema.update(0.75); // 0.75·(1, 1) + 0.25·(3, 5) = (1.5, 2)
      assertThat(Ops.floats(ema.shadow().get("weight"))).containsExactly(1.5f, 2f);
      try (var swapped = ema.swapIn()) {
        assertThat(Ops.floats(lin.weight)).containsExactly(1.5f, 2f);
      }
      assertThat(Ops.floats(lin.weight)).containsExactly(3f, 5f);
      Linear copy = new Linear(2, 1);
      ema.copyTo(copy);
      assertThat(Ops.floats(copy.weight)).containsExactly(1.5f, 2f);
      ema.close();
    }
  }
}
