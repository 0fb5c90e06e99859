package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An {@link Energy} computed by a trained {@link EnergyModel} ({@link EnergyNet}, {@link
 * PairwiseEnergyNet}, {@link CrossEncoderEnergyNet}): the problem and each candidate become token
 * streams — aligned for the first two, of any lengths for the cross-encoder — and candidates are
 * scored in batches.
 */
public final class LearnedEnergy<P, X> implements Energy<P, X> {

  /**
   * How a task turns a problem and a candidate into the net's two token streams; all candidates of
   * one problem encode to the same length (aligned models also need it equal to the problem's).
   */
  public interface Encoder<P, X> {
    long[] problem(P problem);

    long[] candidate(P problem, X candidate);

    /**
     * An encoder from two functions; a task codec's own token ids make one with {@code
     * Encoder.of(codec::prompt, codec::answer)} (the prompt is the problem stream, the answer the
     * candidate stream).
     */
    static <P, X> Encoder<P, X> of(
        Function<? super P, long[]> problem, BiFunction<? super P, ? super X, long[]> candidate) {
      return new Encoder<>() {
        public long[] problem(P p) {
          return problem.apply(p);
        }

        public long[] candidate(P p, X x) {
          return candidate.apply(p, x);
        }
      };
    }
  }

  private final Module net;
  private final EnergyModel model;
  private final Encoder<P, X> encoder;
  private final int batch;

  public <M extends Module & EnergyModel> LearnedEnergy(M net, Encoder<P, X> encoder, int batch) {
    this.net = net;
    this.model = net;
    this.encoder = encoder;
    this.batch = batch;
  }

  @Override
  public float[] energies(P problem, List<X> candidates) {
    float[] out = new float[candidates.size()];
    long[] p = encoder.problem(problem);
    int t = p.length;
    int tc = -1;
    boolean wasTraining = net.isTraining();
    net.eval();
    try (var g = noGrad()) {
      for (int from = 0; from < out.length; from += batch) {
        int n = Math.min(batch, out.length - from);
        long[] probs = new long[n * t];
        long[] cands = null;
        for (int r = 0; r < n; r++) {
          System.arraycopy(p, 0, probs, r * t, t);
          long[] c = encoder.candidate(problem, candidates.get(from + r));
          if (tc < 0) tc = c.length;
          if (c.length != tc) {
            throw new IllegalArgumentException(
                "candidates of one problem must encode to one length, got "
                    + tc
                    + " and "
                    + c.length);
          }
          if (cands == null) cands = new long[n * tc];
          System.arraycopy(c, 0, cands, r * tc, tc);
        }
        try (Scope s = Ops.scope()) {
          float[] e = floats(model.forward(tensor(probs, n, t), tensor(cands, n, tc))); // (n)
          System.arraycopy(e, 0, out, from, n);
        }
      }
    } finally {
      net.train(wasTraining);
    }
    return out;
  }

  @Override
  public Breakdown explain(P problem, X candidate) {
    return Breakdown.single("learned", energy(problem, candidate));
  }
}
