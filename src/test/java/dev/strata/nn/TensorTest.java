package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The facade adds no state of its own: it hands back the very JavaCPP tensor it wraps, compares as
 * JavaCPP does, and leaves freeing to the scopes, {@link Ops#retain} and {@link Tensor#close()}.
 */
class TensorTest {
  @Test
  void wrapsTheSameNativeTensorBothWays() {
    try (Scope s = Ops.scope()) {
      Tensor t = Ops.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      org.bytedeco.pytorch.Tensor raw = t.raw();
      assertThat(Tensor.wrap(raw).raw()).isSameAs(raw);
      assertThat(Tensor.wrap(raw)).isEqualTo(t).hasSameHashCodeAs(t);
      assertThat(Ops.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
          .as("equal values in another tensor")
          .isNotEqualTo(t);
      assertThat(t.size(1)).isEqualTo(raw.size(1));
      assertThat(Ops.floats(t.narrow(1, 1, 2).mul(t.narrow(1, 0, 2))))
          .containsExactly(2, 6, 20, 30);
    }
  }

  @Test
  void scopesRetainAndCloseStillFreeTheNativeTensor() {
    Tensor scoped;
    Tensor retained;
    try (Scope s = Ops.scope()) {
      scoped = Ops.ones(4);
      retained = Ops.retain(Ops.ones(4));
    }
    assertThat(scoped.raw().isNull()).as("freed when its scope closed").isTrue();
    assertThat(retained.raw().isNull()).as("retained past the scope").isFalse();
    assertThat(Ops.item(retained.sum())).isEqualTo(4.0);
    Ops.release(retained);
    assertThat(retained.raw().isNull()).as("freed by release").isTrue();

    Tensor closed = Ops.zeros(3);
    closed.close();
    assertThat(closed.raw().isNull()).as("freed by close").isTrue();
  }
}
