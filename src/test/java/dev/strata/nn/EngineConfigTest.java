package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/**
 * The BLAS and threading configuration the launcher sets (MKL, GNU OpenMP threads) is in effect in
 * the test JVM.
 */
class EngineConfigTest {
  @Test
  void mklIsTheBlasInEffect() {
    try (PointerScope s = new PointerScope()) {
      Ops.randn(64, 64).matmul(Ops.randn(64, 64)); // loads the BLAS
    }
    Engine.Info info = Engine.info();
    assertThat(info.blas()).as("BLAS libraries mapped into this process").startsWith("MKL");
    assertThat(System.getenv("MKL_THREADING_LAYER")).isEqualTo("GNU");
    assertThat(info.threads()).isGreaterThanOrEqualTo(1);
  }
}
