package dev.strata.search;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.propose.ArProposer;
import dev.strata.propose.CausalLm;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.propose.SequenceCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Beam search over an AR proposer's tokens, guided by a learned prefix value (spec "beam with a
 * learned prefix value regressed onto final energies"): a beam of W prefixes is extended token by
 * token, each extension (prefix, v) scored log π(prefix) + log π(v | prefix) − β·Q(h, v), where Q
 * ({@link PrefixValueHead}) predicts the final energy of completions through v (the value of the
 * extended prefix, not a sum over steps); the W best survive (the decode states — KV caches, SSM
 * and memory states — follow their parents, {@link LayerState#reorder}). With β = 0 it is plain
 * likelihood beam search. As a {@link Proposer} it returns the final beams best first, so any
 * search (e.g. best-of-N under an energy) can judge them.
 *
 * @param proposer the AR proposer (its model, codec and constraint-mask setting)
 * @param head the learned prefix value
 * @param beta weight of the value against the log-likelihood
 * @param width beam width W
 */
public record ValueBeamProposer<P, X>(
    ArProposer<P, X> proposer, PrefixValueHead head, double beta, int width)
    implements Proposer<P, X> {

  public ValueBeamProposer {
    if (width <= 0) throw new IllegalArgumentException("beam width must be positive, got " + width);
    if (!(beta >= 0)) throw new IllegalArgumentException("value weight β must be ≥ 0, got " + beta);
  }

  @Override
  public List<X> propose(P problem, int n, RandomSource rng) {
    return complete(problem, null, n, rng);
  }

  /**
   * The best {@code n} final beams (beam width max(n, W)); tokens {@code partial} fixes are kept.
   */
  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    List<X> out = new ArrayList<>();
    for (ArProposer.Sample<X> s : beam(problem, partial, Math.max(n, width))) {
      if (out.size() == n) break;
      out.add(s.candidate());
    }
    return out;
  }

  /** The final beams, best score first; logProb is each one's log π under the model. */
  public List<ArProposer.Sample<X>> beam(P problem, X partial, int w) {
    CausalLm model = proposer.model();
    SequenceCodec<P, X> codec = proposer.codec();
    boolean masked = proposer.decoding().masked();
    long[] prompt = codec.prompt(problem);
    int len = codec.answerLength(problem);
    int vocab = codec.vocab();
    int d = model.config.dModel();
    long[] flat = new long[w * prompt.length];
    for (int r = 0; r < w; r++) System.arraycopy(prompt, 0, flat, r * prompt.length, prompt.length);
    long[][] answers = new long[w][len];
    double[] logProb = new double[w];
    int alive = 1; // all rows start as the same prefix: expand only row 0 at the first step
    boolean wasTraining = model.isTraining();
    model.eval();
    try (var g = noGrad();
        LayerState state = model.newState(w, prompt.length + len)) {
      float[] h;
      float[] logp;
      try (Scope s = Ops.scope()) {
        Tensor hidden =
            model
                .hidden(tensor(flat, w, prompt.length), state)
                .select(1, prompt.length - 1); // (W, D)
        h = floats(hidden);
        logp = floats(logSoftmax(model.head.forward(hidden), -1)); // (W, V)
      }
      for (int t = 0; t < len; t++) {
        List<double[]> cands =
            new ArrayList<>(); // {score, row, token, log π of the extended prefix}
        for (int r = 0; r < alive; r++) {
          long forced = partial == null ? -1 : codec.fixed(problem, partial, t);
          boolean[] allowed = forced < 0 && masked ? codec.allowed(problem, answers[r], t) : null;
          boolean any = false;
          if (allowed != null) for (boolean a : allowed) any |= a;
          for (int v = 0; v < vocab; v++) {
            if (forced >= 0 ? v != forced : any && !allowed[v]) continue;
            double lp = logp[r * vocab + v];
            if (lp == Double.NEGATIVE_INFINITY) continue;
            double q = beta == 0 ? 0 : head.value(h, r * d, v);
            cands.add(new double[] {logProb[r] + lp - beta * q, r, v, logProb[r] + lp});
          }
        }
        cands.sort((a, b) -> Double.compare(b[0], a[0]));
        int keep = Math.min(w, cands.size());
        long[] parents = new long[w];
        long[] next = new long[w];
        long[][] nextAnswers = new long[w][];
        double[] nextLogProb = new double[w];
        for (int i = 0; i < w; i++) {
          double[] c =
              cands.get(
                  Math.min(
                      i, keep - 1)); // fewer candidates than rows: repeat the last (never returned
          // twice)
          int r = (int) c[1];
          parents[i] = r;
          next[i] = (long) c[2];
          nextAnswers[i] = answers[r].clone();
          nextAnswers[i][t] = next[i];
          nextLogProb[i] = c[3];
        }
        answers = nextAnswers;
        logProb = nextLogProb;
        alive = keep;
        if (t == len - 1) break;
        try (Scope s = Ops.scope()) {
          state.reorder(tensor(parents, w));
          Tensor hidden = model.hidden(tensor(next, w, 1), state).select(1, 0); // (W, D)
          h = floats(hidden);
          logp = floats(logSoftmax(model.head.forward(hidden), -1));
        }
      }
    } finally {
      model.train(wasTraining);
    }
    List<ArProposer.Sample<X>> out = new ArrayList<>();
    for (int r = 0; r < alive; r++)
      out.add(new ArProposer.Sample<>(codec.decode(problem, answers[r]), logProb[r], answers[r]));
    return Collections.unmodifiableList(out);
  }
}
