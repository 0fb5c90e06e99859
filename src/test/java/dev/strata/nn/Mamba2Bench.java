package dev.strata.nn;

import java.util.ArrayList;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timings of the Mamba-2 block on this machine; not part of the default test run (the class
 * name matches none of Surefire's default patterns). Run with {@code mvn test -Dtest=Mamba2Bench}.
 * Numbers are noisy on shared cores: compare variants printed by the same run.
 */
@Tag("bench")
class Mamba2Bench {
  static final int BATCH = 32, T = 256, D = 128, VOCAB = 65;

  /**
   * Minimum wall time of {@code reps} calls after two warm-up calls at the configured threads, and
   * the minimum CPU time of this thread on one thread: the second is what to compare variants by
   * when other processes load the cores (a descheduled OpenMP thread stalls a 2-thread op).
   */
  static String time(Runnable step, int reps) {
    double wall = minimum(step, reps, false);
    int threads = Ops.threads();
    Ops.setThreads(1);
    double cpu = minimum(step, reps, true);
    Ops.setThreads(threads);
    return String.format("wall %6.1f ms (%d threads), cpu %6.1f ms (1 thread)", wall, threads, cpu);
  }

  private static double minimum(Runnable step, int reps, boolean cpuTime) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    step.run();
    step.run();
    double best = Double.MAX_VALUE;
    for (int i = 0; i < reps; i++) {
      long t0 = cpuTime ? bean.getCurrentThreadCpuTime() : System.nanoTime();
      step.run();
      long t1 = cpuTime ? bean.getCurrentThreadCpuTime() : System.nanoTime();
      best = Math.min(best, (t1 - t0) / 1e6);
    }
    return best;
  }

  /** Forward + backward of a scalar loss, gradients cleared first, inside its own scope. */
  static Runnable trainStep(Module m, Supplier<Tensor> loss) {
    return () -> {
      try (PointerScope s = new PointerScope()) {
        m.parameters().forEach(Ops::clearGrad);
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
      System.out.printf("block fwd+bwd (B=%d, T=%d, d=%d), chunk %3d: %s%n", BATCH, T, D, q,
          time(trainStep(block, () -> block.forward(x).square().mean()), 5));
    }
  }

  /** A char LM: embedding, {@code layers} blocks, final RMSNorm, linear head; one fwd+bwd of the loss. */
  @Test
  void charLmStep() {
    Ops.seed(0);
    Tensor ids = Ops.retain(Ops.randint(0, VOCAB, BATCH, T + 1));
    for (int layers : new int[] {6, 7}) {
      Mamba2Config config = new Mamba2Config(D);
      class Lm extends Module {
        final Embedding embed = child("embed", new Embedding(VOCAB, D));
        final List<Mamba2Block> blocks = new ArrayList<>();
        final RMSNorm norm = child("norm", new RMSNorm(D));
        final Linear head = child("head", new Linear(D, VOCAB));

        Lm() {
          for (int i = 0; i < layers; i++) blocks.add(child("blocks." + i, new Mamba2Block(config)));
        }

        Tensor loss() {
          Tensor h = embed.forward(ids.narrow(1, 0, T));
          for (Mamba2Block b : blocks) h = b.forward(h);
          Tensor logits = head.forward(norm.forward(h)).view(-1, VOCAB);
          return Ops.crossEntropy(logits, ids.narrow(1, 1, T).reshape(-1));
        }
      }
      Lm lm = new Lm();
      System.out.printf("char LM %d layers (%d params) fwd+bwd: %s%n", layers, lm.parameterCount(),
          time(trainStep(lm, lm::loss), 3));
    }
  }
}
