package dev.strata.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timings of the Mamba-2 block on this machine; not part of the default test run (the class name
 * matches none of Surefire's default patterns). Run with {@code mvn test -Dtest=Mamba2Bench}. Wall
 * times at the configured threads; other processes on shared cores add noise, so compare variants
 * printed by the same run and read the minimum.
 */
@Tag("bench")
class Mamba2Bench {
  static final int BATCH = 32, T = 256, D = 128, VOCAB = 65;

  /** Minimum and median wall time of {@code reps} calls after two warm-up calls. */
  static String time(Runnable step, int reps) {
    step.run();
    step.run();
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      step.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return String.format("min %6.1f ms, median %6.1f ms", ms[0], ms[reps / 2]);
  }

  /** Forward + backward of a scalar loss, gradients cleared first, inside its own scope. */
  static Runnable trainStep(List<Tensor> params, Supplier<Tensor> loss) {
    return () -> {
      try (PointerScope s = new PointerScope()) {
        params.forEach(Ops::clearGrad);
        loss.get().backward();
      }
    };
  }

  @Test
  void blockForwardBackward() {
    Ops.seed(0);
    Tensor x = Ops.retain(Ops.randn(BATCH, T, D));
    for (int q : new int[] {32, 64, 128}) {
      Mamba2Block block = new Mamba2Block(new Mamba2Config(D).withChunk(q));
      System.out.printf(
          "block fwd+bwd (B=%d, T=%d, d=%d), chunk %3d: %s%n",
          BATCH,
          T,
          D,
          q,
          time(trainStep(block.parameters(), () -> block.forward(x).square().mean()), 7));
    }
  }

  /**
   * The SSD's batched products (chunk 64): {@link Ops#bmm} (grouped convolution) against matmul.
   */
  @Test
  void batchedProducts() {
    Ops.seed(0);
    long heads = 8, chunks = T / 64;
    Tensor mixing = Ops.retain(Ops.requireGrad(Ops.randn(BATCH * chunks * heads, 64, 64)));
    Tensor xbar = Ops.retain(Ops.requireGrad(Ops.randn(BATCH * chunks * heads, 64, 32)));
    List<Tensor> leaves = List.of(mixing, xbar);
    System.out.printf(
        "(%d, 64, 64)·(%d, 64, 32) fwd+bwd, Ops.bmm: %s%n",
        mixing.size(0),
        xbar.size(0),
        time(trainStep(leaves, () -> Ops.bmm(mixing, xbar).square().sum()), 7));
    System.out.printf(
        "(%d, 64, 64)·(%d, 64, 32) fwd+bwd, matmul:  %s%n",
        mixing.size(0),
        xbar.size(0),
        time(trainStep(leaves, () -> mixing.matmul(xbar).square().sum()), 7));
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

    Tensor loss(Tensor ids) {
      Tensor h = embed.forward(ids.narrow(1, 0, T));
      for (Mamba2Block b : blocks) h = b.forward(h);
      return Ops.crossEntropy(
          head.forward(norm.forward(h)).view(-1, VOCAB), ids.narrow(1, 1, T).reshape(-1));
    }

    Tensor decode(Tensor id, List<Mamba2State> states) {
      Tensor h = embed.forward(id);
      for (int i = 0; i < blocks.size(); i++) h = blocks.get(i).forward(h, states.get(i));
      return head.forward(norm.forward(h));
    }
  }

  @Test
  void charLm() {
    Ops.seed(0);
    Tensor ids = Ops.retain(Ops.randint(0, VOCAB, BATCH, T + 1));
    for (int layers : new int[] {6, 7}) {
      CharLm lm = new CharLm(new Mamba2Config(D), layers);
      System.out.printf(
          "char LM %d layers (%d params) fwd+bwd (B=%d, T=%d): %s%n",
          layers,
          lm.parameterCount(),
          BATCH,
          T,
          time(trainStep(lm.parameters(), () -> lm.loss(ids)), 5));
      List<Mamba2State> states = new ArrayList<>();
      for (Mamba2Block b : lm.blocks) states.add(b.newState(1, 0));
      Tensor token = Ops.retain(ids.narrow(0, 0, 1).narrow(1, 0, 1));
      try (var g = Ops.noGrad()) {
        Runnable step =
            () -> {
              try (PointerScope s = new PointerScope()) {
                lm.decode(token, states);
              }
            };
        System.out.printf(
            "char LM %d layers decode, 1 token (B=1): %s; state %d bytes%n",
            layers, time(step, 50), states.stream().mapToLong(Mamba2State::bytes).sum());
      }
      states.forEach(Mamba2State::close);
    }
  }
}
