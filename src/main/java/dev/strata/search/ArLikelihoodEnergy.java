package dev.strata.search;

import static dev.strata.nn.Ops.*;

import dev.strata.energy.Breakdown;
import dev.strata.energy.Energy;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.propose.CausalLm;
import dev.strata.propose.SequenceCodec;
import java.util.List;

/**
 * The AR-induced energy E(y|x) = −Σ_t log π(y_t | x, y_&lt;t) of a candidate under an
 * autoregressive proposer (spec "The energy layer"; Blondel et al. 2025, arXiv:2512.15605: the
 * logits read as soft Q-values, their logsumexp as the soft value V, and this sum equals −R(x, y) +
 * log Z(x)). Lower means the proposer finds the candidate more likely; best-of-N under it is
 * "majority by likelihood". Scored teacher-forced, many candidates per forward pass. (It sits in
 * {@code energy} but reads a {@code propose.CausalLm}: the one place the two layers meet.)
 */
public final class ArLikelihoodEnergy<P, X> implements Energy<P, X> {
  private final CausalLm model;
  private final SequenceCodec<P, X> codec;
  private final int batch;

  public ArLikelihoodEnergy(CausalLm model, SequenceCodec<P, X> codec, int batch) {
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    this.model = model;
    this.codec = codec;
    this.batch = batch;
  }

  @Override
  public float[] energies(P problem, List<X> candidates) {
    float[] out = new float[candidates.size()];
    long[] prompt = codec.prompt(problem);
    int p = prompt.length;
    int len = codec.answerLength(problem);
    int v = codec.vocab();
    boolean wasTraining = model.isTraining();
    model.eval();
    try (var g = noGrad()) {
      for (int from = 0; from < out.length; from += batch) {
        int n = Math.min(batch, out.length - from);
        long[] ids = new long[n * (p + len - 1)];
        float[] oneHot = new float[n * len * v];
        for (int r = 0; r < n; r++) {
          long[] a = codec.answer(problem, candidates.get(from + r));
          int base = r * (p + len - 1);
          System.arraycopy(prompt, 0, ids, base, p);
          System.arraycopy(a, 0, ids, base + p, len - 1);
          for (int t = 0; t < len; t++) oneHot[(r * len + t) * v + (int) a[t]] = 1f;
        }
        try (Scope s = Ops.scope()) {
          Tensor logits = model.logits(tensor(ids, n, p + len - 1)); // (n, P+L−1, V)
          Tensor answerLogits =
              logits.narrow(1, p - 1, len); // (n, L, V): predictions of the L answer tokens
          Tensor logp =
              logSoftmax(answerLogits, -1)
                  .mul(tensor(oneHot, n, len, v)); // (n, L, V), the chosen tokens only
          float[] e = floats(sum(logp, false, 1, 2)); // (n)
          for (int r = 0; r < n; r++) out[from + r] = -e[r];
        }
      }
    } finally {
      model.train(wasTraining);
    }
    return out;
  }

  @Override
  public Breakdown explain(P problem, X candidate) {
    return Breakdown.single("-log p", energy(problem, candidate));
  }
}
