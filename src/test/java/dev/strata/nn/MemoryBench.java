package dev.strata.nn;

import static dev.strata.nn.Mamba2Bench.trainStep;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH timings of the test-time memory block (each update rule and chunk size) against a Mamba-2
 * block of the same width, forward + backward at B 16, T 256, d 128. Run with {@code bench/jmh
 * MemoryBench}; compare rows of one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dorg.bytedeco.openblas.load=mkl_rt"})
public class MemoryBench {
  static final int BATCH = 16, T = 256, D = 128;

  /** The input (B, T, D). */
  @State(Scope.Benchmark)
  public static class Input {
    Tensor x;

    @Setup(Level.Trial)
    public void setUp() {
      Ops.seed(0);
      x = Ops.retain(Ops.randn(BATCH, T, D));
    }
  }

  /** The Mamba-2 block the memory block is compared with. */
  @State(Scope.Benchmark)
  public static class Mamba {
    Mamba2Block block;

    @Setup(Level.Trial)
    public void setUp() {
      block = new Mamba2Block(new Mamba2Config(D));
    }
  }

  /** A memory block with one update rule and chunk size. */
  @State(Scope.Benchmark)
  public static class Memory {
    @Param // every rule
    public MemoryConfig.Rule rule;

    @Param({"8", "16", "32", "64"})
    public int chunk;

    MemoryBlock block;

    @Setup(Level.Trial)
    public void setUp() {
      block = new MemoryBlock(new MemoryConfig(D).withChunk(chunk).withRule(rule));
    }
  }

  @Benchmark
  public void mamba2ForwardBackward(Input in, Mamba m) {
    trainStep(m.block.parameters(), () -> m.block.forward(in.x).square().mean());
  }

  @Benchmark
  public void memoryForwardBackward(Input in, Memory m) {
    trainStep(m.block.parameters(), () -> m.block.forward(in.x).square().mean());
  }
}
