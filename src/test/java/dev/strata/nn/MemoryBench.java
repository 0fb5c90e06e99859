package dev.strata.nn;

import static dev.strata.nn.Mamba2Bench.time;
import static dev.strata.nn.Mamba2Bench.trainStep;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timings of the test-time memory block against a Mamba-2 block of the same width; not part of the
 * default test run (run with {@code mvn test -Dtest=MemoryBench}). Compare rows of one run.
 */
@Tag("bench")
class MemoryBench {
  static final int BATCH = 16, T = 256, D = 128;

  @Test
  void blockForwardBackward() {
    Ops.seed(0);
    Tensor x = Ops.retain(Ops.randn(BATCH, T, D));
    Mamba2Block mamba = new Mamba2Block(new Mamba2Config(D));
    System.out.printf(
        "Mamba-2 block fwd+bwd (B=%d, T=%d, d=%d):          %s%n",
        BATCH,
        T,
        D,
        time(trainStep(mamba.parameters(), () -> mamba.forward(x).square().mean()), 5));
    for (MemoryConfig.Rule rule : MemoryConfig.Rule.values()) {
      for (int c : new int[] {8, 16, 32, 64}) {
        MemoryBlock block = new MemoryBlock(new MemoryConfig(D).withChunk(c).withRule(rule));
        System.out.printf(
            "memory block fwd+bwd, %-11s chunk %2d:          %s%n",
            rule,
            c,
            time(trainStep(block.parameters(), () -> block.forward(x).square().mean()), 5));
      }
    }
  }
}
