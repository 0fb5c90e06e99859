package dev.strata.propose;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat with JavaCPP's pointer GC off ({@code nopointergc}, as every Strata JVM
 * runs): the PointerScope of each decode token frees its temporaries. A control runs tokens without
 * the per-token scope and must grow past the threshold, so a loop that leaked would fail the check.
 * Memory is glibc's bytes in use ({@code mallinfo2}), where libtorch allocates: unlike the resident
 * size, it is not hidden by memory that earlier tests freed and malloc reuses.
 */
class ScopedMemoryTest {
  /** Growth of native bytes in use allowed over the scoped tokens. */
  private static final long FLAT_BYTES = 4L << 20;

  private static final MethodHandle MALLINFO2 =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("mallinfo2").orElseThrow(),
              FunctionDescriptor.of(
                  MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, JAVA_LONG))));

  /** glibc's bytes in use: uordblks (arena chunks) + hblkhd (mmapped blocks) of mallinfo2. */
  private static long nativeBytesInUse() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((SegmentAllocator) arena);
      return info.getAtIndex(JAVA_LONG, 7) + info.getAtIndex(JAVA_LONG, 4);
    } catch (Throwable e) {
      throw new IllegalStateException("mallinfo2 failed", e);
    }
  }

  @Test
  void testsRunWithoutJavaCppsPointerGc() {
    // Surefire's argLine sets it as the launcher does, so the check below runs on the real setting.
    assertThat(System.getProperty("org.bytedeco.javacpp.nopointergc")).isEqualTo("true");
  }

  @Test
  void decodeTokensStayFlatAndALeakingTokenLoopWouldNot() {
    Ops.seed(4);
    CausalLm lm = new CausalLm(LmConfig.cpu("hybrid", 65)); // attention and Mamba-2 layers
    lm.eval();
    try (var g = Ops.noGrad();
        LayerState state = lm.newState(1, 400)) {
      long before = 0;
      long next = 1;
      for (int i = 0; i < 300; i++) {
        if (i == 100) before = nativeBytesInUse();
        try (Scope s = Ops.scope()) {
          next = Ops.argmax(lm.logits(Ops.tensor(new long[] {next}, 1, 1), state), -1).item_long();
        }
      }
      long flat = nativeBytesInUse() - before;

      // The control: 90 tokens with no scope per token (one outer scope frees them after); 90, not
      // fewer, so that their growth stands well clear of what the JVM itself mallocs and frees
      // meanwhile.
      long leak;
      try (Scope outer = Ops.scope()) {
        long start = nativeBytesInUse();
        for (int i = 0; i < 90; i++) {
          next = Ops.argmax(lm.logits(Ops.tensor(new long[] {next}, 1, 1), state), -1).item_long();
        }
        leak = nativeBytesInUse() - start;
      }
      System.out.printf("decode: native growth %d bytes scoped, %d bytes unscoped%n", flat, leak);
      assertThat(flat)
          .as("native bytes gained over 200 scoped decode tokens")
          .isLessThan(FLAT_BYTES);
      assertThat(leak)
          .as("native bytes gained over 90 unscoped decode tokens")
          .isGreaterThan(2 * FLAT_BYTES);
    }
  }
}
