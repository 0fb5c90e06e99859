package dev.strata.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH timings of the Mamba-2 block (B 32, T 256, d 128): forward + backward per chunk size, the
 * SSD's batched products ({@link Ops#bmm} against matmul), and a 6- or 7-layer character LM's
 * training step and 1-token decode. Run with {@code bench/jmh Mamba2Bench} (README, "Micro-
 * benchmarks"); other processes on shared cores add noise, so compare rows of one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dorg.bytedeco.openblas.load=mkl_rt"})
public class Mamba2Bench {
  static final int BATCH = 32, T = 256, D = 128, VOCAB = 65;

  /** Forward + backward of a scalar loss, gradients cleared first, inside its own scope. */
  static void trainStep(List<Tensor> params, Supplier<Tensor> loss) {
    try (PointerScope s = new PointerScope()) {
      params.forEach(Ops::clearGrad);
      loss.get().backward();
    }
  }

  /** One Mamba-2 block and its input (B, T, D). */
  @State(Scope.Benchmark)
  public static class Block {
    @Param({"32", "64", "128"})
    public int chunk;

    Tensor x;
    Mamba2Block block;

    @Setup(Level.Trial)
    public void setUp() {
      Ops.seed(0);
      x = Ops.retain(Ops.randn(BATCH, T, D));
      block = new Mamba2Block(new Mamba2Config(D).withChunk(chunk));
    }
  }

  @Benchmark
  public void blockForwardBackward(Block b) {
    trainStep(b.block.parameters(), () -> b.block.forward(b.x).square().mean());
  }

  /** The SSD's batched products at chunk 64: (B·chunks·heads, 64, 64) · (…, 64, 32). */
  @State(Scope.Benchmark)
  public static class Products {
    Tensor mixing;
    Tensor xbar;
    List<Tensor> leaves;

    @Setup(Level.Trial)
    public void setUp() {
      Ops.seed(0);
      long heads = 8, chunks = T / 64;
      mixing = Ops.retain(Ops.requireGrad(Ops.randn(BATCH * chunks * heads, 64, 64)));
      xbar = Ops.retain(Ops.requireGrad(Ops.randn(BATCH * chunks * heads, 64, 32)));
      leaves = List.of(mixing, xbar);
    }
  }

  @Benchmark
  public void batchedProductsOpsBmm(Products p) {
    trainStep(p.leaves, () -> Ops.bmm(p.mixing, p.xbar).square().sum());
  }

  @Benchmark
  public void batchedProductsMatmul(Products p) {
    trainStep(p.leaves, () -> p.mixing.matmul(p.xbar).square().sum());
  }

  /** Embedding, {@code layers} blocks, final RMSNorm and a linear head over characters. */
  static final class CharLm extends Module {
    final Embedding embed = child("embed", new Embedding(VOCAB, D));
    final List<Mamba2Block> blocks = new ArrayList<>();
    final RMSNorm norm = child("norm", new RMSNorm(D));
    final Linear head = child("head", new Linear(D, VOCAB));

    CharLm(Mamba2Config config, int layers) {
      for (int i = 0; i < layers; i++) blocks.add(child("blocks." + i, new Mamba2Block(config)));
    }

    /** ids (B, T + 1) → next-character cross-entropy over the first T. */
    Tensor loss(Tensor ids) {
      Tensor h = embed.forward(ids.narrow(1, 0, T));
      for (Mamba2Block b : blocks) h = b.forward(h);
      return Ops.crossEntropy(
          head.forward(norm.forward(h)).view(-1, VOCAB), ids.narrow(1, 1, T).reshape(-1));
    }

    /** id (1, 1) → logits (1, 1, VOCAB), advancing each block's state. */
    Tensor decode(Tensor id, List<Mamba2State> states) {
      Tensor h = embed.forward(id);
      for (int i = 0; i < blocks.size(); i++) h = blocks.get(i).forward(h, states.get(i));
      return head.forward(norm.forward(h));
    }
  }

  /** A character LM, a training batch and batch-1 decode states. */
  @State(Scope.Benchmark)
  public static class Lm {
    @Param({"6", "7"})
    public int layers;

    CharLm lm;
    Tensor ids;
    Tensor token;
    List<Mamba2State> states;

    @Setup(Level.Trial)
    public void setUp() {
      Ops.seed(0);
      ids = Ops.retain(Ops.randint(0, VOCAB, BATCH, T + 1));
      lm = new CharLm(new Mamba2Config(D), layers);
      token = Ops.retain(ids.narrow(0, 0, 1).narrow(1, 0, 1));
      states = new ArrayList<>();
      for (Mamba2Block b : lm.blocks) states.add(b.newState(1, 0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      states.forEach(Mamba2State::close);
    }
  }

  @Benchmark
  public void charLmTrainStep(Lm s) {
    trainStep(s.lm.parameters(), () -> s.lm.loss(s.ids));
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void charLmDecodeOneToken(Lm s) {
    try (var g = Ops.noGrad();
        PointerScope scope = new PointerScope()) {
      s.lm.decode(s.token, s.states);
    }
  }
}
