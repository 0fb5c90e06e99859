package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat with JavaCPP's pointer GC off ({@code nopointergc}, as every Strata JVM
 * runs): the PointerScope of each decode token frees its temporaries. A control runs the same
 * tokens without the per-token scope and must grow past the threshold, so a loop that leaked would
 * fail the check. (Training steps: {@code TrainerTest.rssStaysFlatOverAThousandSteps}.)
 */
class ScopedMemoryTest {
  /** RSS growth (kB) allowed over the measured steps: the Java heap and JIT also move RSS. */
  private static final long FLAT_KB = 20_000;

  /** VmRSS of this process in kB: what the OS sees, libtorch's allocations included. */
  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void testsRunWithoutJavaCppsPointerGc() {
    // Surefire's argLine sets it as the launcher does, so the checks below run on the real setting.
    assertThat(System.getProperty("org.bytedeco.javacpp.nopointergc")).isEqualTo("true");
  }

  @Test
  void decodeTokensStayFlatAndALeakingTokenLoopWouldNot() {
    Ops.seed(4);
    CausalLm lm = new CausalLm(LmConfig.cpu("hybrid", 65)); // attention and Mamba-2 layers
    lm.eval();
    int tokens = 700;
    try (var g = Ops.noGrad();
        LayerState state = lm.newState(1, tokens + 100)) {
      long before = 0;
      long next = 1;
      for (int i = 0; i < tokens; i++) {
        if (i == 100) before = rssKb();
        try (PointerScope s = new PointerScope()) {
          next = Ops.argmax(lm.logits(Ops.tensor(new long[] {next}, 1, 1), state), -1).item_long();
        }
      }
      long flatKb = rssKb() - before;

      // The control: 60 tokens with no scope per token (one outer scope frees them after).
      long leakKb;
      try (PointerScope outer = new PointerScope()) {
        long start = rssKb();
        for (int i = 0; i < 60; i++) {
          next = Ops.argmax(lm.logits(Ops.tensor(new long[] {next}, 1, 1), state), -1).item_long();
        }
        leakKb = rssKb() - start;
      }
      System.out.printf("decode: RSS growth %d kB scoped, %d kB unscoped%n", flatKb, leakKb);
      assertThat(flatKb).as("RSS growth over 600 scoped decode tokens (kB)").isLessThan(FLAT_KB);
      assertThat(leakKb)
          .as("RSS growth over 60 unscoped decode tokens (kB)")
          .isGreaterThan(2 * FLAT_KB);
    }
  }
}
