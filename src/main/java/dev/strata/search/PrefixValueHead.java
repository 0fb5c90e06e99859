package dev.strata.search;

import static dev.strata.nn.Ops.*;

import dev.strata.energy.Energy;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.propose.ArProposer;
import dev.strata.propose.CausalLm;
import dev.strata.propose.RandomSource;
import dev.strata.propose.SequenceCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A learned value for prefixes (spec "Sampling under an energy": "beam with a learned prefix value
 * regressed onto final energies"): Q(h_t, v) ≈ E[E(y) | prefix y_&lt;t, y_t = v], the expected
 * final energy of a completion that extends the prefix with token v, read linearly from the
 * proposer's hidden state h_t before the token — one ridge regression per token over [h_t, 1],
 * fitted in closed form on the proposer's own samples with the frozen model. Raw logits cannot
 * serve (a constant added to all logits of a state changes nothing, so their scale is not
 * identified); this head is trained on energies, so it is.
 *
 * @param vocab token ids
 * @param dim hidden width D
 * @param weights (V, D + 1) row-major: per token, D weights and a bias
 */
public record PrefixValueHead(int vocab, int dim, double[] weights) {

  /** Q(h, v) for the hidden state at {@code off} of {@code hidden}. */
  public double value(float[] hidden, int off, int token) {
    int row = token * (dim + 1);
    double q = weights[row + dim];
    for (int d = 0; d < dim; d++) q += weights[row + d] * hidden[off + d];
    return q;
  }

  /** A fit's summary: examples per token and the R² of the fitted values on the training pairs. */
  public record Fit(PrefixValueHead head, long pairs, double r2, double meanEnergy) {}

  /**
   * Draws {@code samples} completions per problem from the proposer, scores each with {@code
   * energy}, and fits Q on every (prefix, next token) pair of every completion.
   */
  public static <P, X> Fit fit(
      ArProposer<P, X> proposer,
      List<P> problems,
      int samples,
      Energy<P, X> energy,
      double ridge,
      RandomSource rng) {
    CausalLm model = proposer.model();
    SequenceCodec<P, X> codec = proposer.codec();
    int v = codec.vocab();
    int d = model.config.dModel();
    int f = d + 1;
    double[][] gram = new double[v][f * f]; // Σ x xᵀ per token, x = [h, 1]
    double[][] moment = new double[v][f]; // Σ x·E per token
    List<double[]> pairs = new ArrayList<>(); // (token, E, fitted later) for R²
    List<float[]> features = new ArrayList<>();
    List<P> repeated = new ArrayList<>();
    for (P p : problems) for (int k = 0; k < samples; k++) repeated.add(p);
    List<ArProposer.Sample<X>> drawn = proposer.sample(repeated, null, rng);
    boolean wasTraining = model.isTraining();
    model.eval();
    try (var g = noGrad()) {
      for (int i = 0; i < repeated.size(); i++) {
        P p = repeated.get(i);
        X y = drawn.get(i).candidate();
        double e = energy.energy(p, y);
        long[] prompt = codec.prompt(p);
        long[] answer = codec.answer(p, y);
        long[] ids = new long[prompt.length + answer.length - 1];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(answer, 0, ids, prompt.length, answer.length - 1);
        float[] h;
        try (Scope s = Ops.scope()) {
          h = floats(model.hidden(tensor(ids, 1, ids.length))); // (1, T, D)
        }
        for (int t = 0; t < answer.length; t++) {
          int tok = (int) answer[t];
          int off = (prompt.length - 1 + t) * d; // the state that predicts answer token t
          double[] gm = gram[tok];
          double[] mm = moment[tok];
          for (int a = 0; a < f; a++) {
            double xa = a < d ? h[off + a] : 1;
            mm[a] += xa * e;
            for (int b = a; b < f; b++) gm[a * f + b] += xa * (b < d ? h[off + b] : 1);
          }
          features.add(java.util.Arrays.copyOfRange(h, off, off + d));
          pairs.add(new double[] {tok, e});
        }
      }
    } finally {
      model.train(wasTraining);
    }
    double[] w = new double[v * f];
    for (int tok = 0; tok < v; tok++) {
      double[] gm = gram[tok];
      for (int a = 0; a < f; a++) for (int b = 0; b < a; b++) gm[a * f + b] = gm[b * f + a];
      double count = gm[d * f + d];
      if (count == 0) continue; // a token never drawn keeps Q = 0
      for (int a = 0; a < d; a++)
        gm[a * f + a] += ridge * count; // ridge on the weights, not the bias
      double[] sol = solve(gm, moment[tok].clone(), f);
      System.arraycopy(sol, 0, w, tok * f, f);
    }
    PrefixValueHead head = new PrefixValueHead(v, d, w);
    double mean = pairs.stream().mapToDouble(q -> q[1]).average().orElse(0);
    double ssTot = 0, ssRes = 0;
    for (int i = 0; i < pairs.size(); i++) {
      double e = pairs.get(i)[1];
      double q = head.value(features.get(i), 0, (int) pairs.get(i)[0]);
      ssTot += (e - mean) * (e - mean);
      ssRes += (e - q) * (e - q);
    }
    return new Fit(head, pairs.size(), ssTot == 0 ? 1 : 1 - ssRes / ssTot, mean);
  }

  /** Solves the symmetric positive-definite system A x = b (n × n, row-major) by Cholesky. */
  static double[] solve(double[] a, double[] b, int n) {
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * n + j];
        for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
        if (i == j) l[i * n + i] = Math.sqrt(Math.max(sum, 1e-12));
        else l[i * n + j] = sum / l[j * n + j];
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
      y[i] = sum / l[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
      x[i] = sum / l[i * n + i];
    }
    return x;
  }
}
