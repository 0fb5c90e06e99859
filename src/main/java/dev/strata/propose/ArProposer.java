package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Proposer} over a {@link CausalLm}: the problem's prompt is prefilled once, then the
 * answer is decoded one token per step from the KV cache, for many sequences at once (several
 * samples of one problem, or many problems with prompts of equal length). Each step brings the (B,
 * V) log-probabilities to Java, where temperature, top-k, constraint masking ({@link
 * SequenceCodec#allowed}) and the tokens a partial candidate fixes are applied and a token is drawn
 * from the run's {@link RandomSource}, so runs are reproducible from one seed. Every sample carries
 * its log-probability under the model's own distribution (temperature 1, no mask): the AR-induced
 * energy is its negative.
 */
public final class ArProposer<P, X> implements Proposer<P, X> {

  /**
   * Decoding settings.
   *
   * @param temperature 0 = greedy (argmax), else logits / temperature
   * @param topK keep the k most likely tokens (0 = all)
   * @param masked apply the codec's constraint mask
   * @param batch most sequences decoded together
   */
  public record Decoding(double temperature, int topK, boolean masked, int batch) {
    public Decoding {
      if (temperature < 0)
        throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
      if (topK < 0) throw new IllegalArgumentException("top-k must be ≥ 0, got " + topK);
      if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    }

    public Decoding withBatch(int b) {
      return new Decoding(temperature, topK, masked, b);
    }

    public static Decoding greedy(boolean masked) {
      return new Decoding(0, 0, masked, 256);
    }

    public static Decoding sampling(double temperature, boolean masked) {
      return new Decoding(temperature, 0, masked, 256);
    }
  }

  /**
   * A decoded candidate with its log-probability Σ_t log π(y_t | x, y_&lt;t) under the unmasked
   * model and the answer tokens it was decoded from (what a policy gradient must score: decoding
   * need not invert encoding).
   */
  public record Sample<X>(X candidate, double logProb, long[] answer) {}

  private final CausalLm model;
  private final SequenceCodec<P, X> codec;
  private final Decoding decoding;

  public ArProposer(CausalLm model, SequenceCodec<P, X> codec, Decoding decoding) {
    this.model = model;
    this.codec = codec;
    this.decoding = decoding;
  }

  public ArProposer<P, X> with(Decoding d) {
    return new ArProposer<>(model, codec, d);
  }

  public Decoding decoding() {
    return decoding;
  }

  public CausalLm model() {
    return model;
  }

  public SequenceCodec<P, X> codec() {
    return codec;
  }

  @Override
  public List<X> propose(P problem, int n, RandomSource rng) {
    return candidates(sample(java.util.Collections.nCopies(n, problem), null, rng));
  }

  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    return candidates(
        sample(
            java.util.Collections.nCopies(n, problem),
            java.util.Collections.nCopies(n, partial),
            rng));
  }

  private static <X> List<X> candidates(List<Sample<X>> samples) {
    List<X> out = new ArrayList<>(samples.size());
    for (Sample<X> s : samples) out.add(s.candidate());
    return out;
  }

  /**
   * One sample per entry of {@code problems} (repeat a problem for several samples); {@code
   * partials} (same length, or null) fix tokens as {@link #complete} does. Sequences are grouped by
   * prompt length and decoded in batches.
   */
  public List<Sample<X>> sample(List<P> problems, List<X> partials, RandomSource rng) {
    Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
    List<long[]> prompts = new ArrayList<>(problems.size());
    for (int i = 0; i < problems.size(); i++) {
      long[] p = codec.prompt(problems.get(i));
      prompts.add(p);
      byLength
          .computeIfAbsent(
              p.length * 100_003 + codec.answerLength(problems.get(i)), k -> new ArrayList<>())
          .add(i);
    }
    @SuppressWarnings("unchecked")
    Sample<X>[] out = new Sample[problems.size()];
    boolean wasTraining = model.isTraining();
    model.eval();
    try (var g = noGrad()) {
      for (List<Integer> group : byLength.values()) {
        for (int from = 0; from < group.size(); from += decoding.batch()) {
          List<Integer> rows = group.subList(from, Math.min(group.size(), from + decoding.batch()));
          decodeBatch(rows, problems, partials, prompts, rng, out);
        }
      }
    } finally {
      model.train(wasTraining);
    }
    return List.of(out);
  }

  private void decodeBatch(
      List<Integer> rows,
      List<P> problems,
      List<X> partials,
      List<long[]> prompts,
      RandomSource rng,
      Sample<X>[] out) {
    int b = rows.size();
    int promptLen = prompts.get(rows.get(0)).length;
    int len = codec.answerLength(problems.get(rows.get(0)));
    int vocab = codec.vocab();
    long[] flat = new long[b * promptLen];
    for (int r = 0; r < b; r++)
      System.arraycopy(prompts.get(rows.get(r)), 0, flat, r * promptLen, promptLen);
    long[][] answers = new long[b][len];
    double[] logProb = new double[b];
    try (LayerState state = model.newState(b, promptLen + len)) {
      float[] logp; // (b, vocab) log-probabilities of the next token
      try (Scope s = Ops.scope()) {
        Tensor logits = model.logits(tensor(flat, b, promptLen), state); // (b, P, V)
        logp = floats(logSoftmax(logits.select(1, promptLen - 1), -1)); // (b, V)
      }
      for (int t = 0; t < len; t++) {
        long[] next = new long[b];
        for (int r = 0; r < b; r++) {
          int i = rows.get(r);
          P problem = problems.get(i);
          long forced = partials == null ? -1 : codec.fixed(problem, partials.get(i), t);
          long tok =
              forced >= 0
                  ? forced
                  : choose(
                      logp,
                      r * vocab,
                      vocab,
                      decoding.masked() ? codec.allowed(problem, answers[r], t) : null,
                      rng);
          next[r] = tok;
          answers[r][t] = tok;
          logProb[r] += logp[r * vocab + (int) tok];
        }
        if (t == len - 1) break;
        try (Scope s = Ops.scope()) {
          Tensor logits = model.logits(tensor(next, b, 1), state); // (b, 1, V)
          logp = floats(logSoftmax(logits.select(1, 0), -1));
        }
      }
    }
    for (int r = 0; r < b; r++) {
      int i = rows.get(r);
      out[i] = new Sample<>(codec.decode(problems.get(i), answers[r]), logProb[r], answers[r]);
    }
  }

  /**
   * Draws a token from row {@code logp[off, off+vocab)} under the decoding settings and the allowed
   * mask.
   */
  private long choose(float[] logp, int off, int vocab, boolean[] allowed, RandomSource rng) {
    boolean any = false;
    if (allowed != null) for (boolean a : allowed) any |= a;
    boolean[] ok = new boolean[vocab];
    for (int v = 0; v < vocab; v++) ok[v] = !any || allowed[v];
    if (decoding.temperature() == 0) {
      int best = -1;
      for (int v = 0; v < vocab; v++)
        if (ok[v] && (best < 0 || logp[off + v] > logp[off + best])) best = v;
      return best;
    }
    if (decoding.topK() > 0) {
      int allowedCount = 0;
      for (boolean o : ok) if (o) allowedCount++;
      while (allowedCount > decoding.topK()) { // drop the least likely allowed token
        int worst = -1;
        for (int v = 0; v < vocab; v++)
          if (ok[v] && (worst < 0 || logp[off + v] < logp[off + worst])) worst = v;
        ok[worst] = false;
        allowedCount--;
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++)
      if (ok[v]) max = Math.max(max, logp[off + v] / decoding.temperature());
    double[] w = new double[vocab];
    double total = 0;
    for (int v = 0; v < vocab; v++)
      if (ok[v]) total += w[v] = Math.exp(logp[off + v] / decoding.temperature() - max);
    double u = rng.nextDouble() * total;
    int last = -1;
    for (int v = 0; v < vocab; v++) {
      if (!ok[v]) continue;
      last = v;
      u -= w[v];
      if (u <= 0) return v;
    }
    return last;
  }
}
