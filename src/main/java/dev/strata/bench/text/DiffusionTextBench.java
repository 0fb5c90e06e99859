package dev.strata.bench.text;

import dev.strata.nn.Ops;
import dev.strata.propose.CandidateEnergy;
import dev.strata.propose.CausalLm;
import dev.strata.propose.DiffusionSample;
import dev.strata.propose.DiffusionSampler;
import dev.strata.propose.DiffusionSamplers;
import dev.strata.propose.MaskedDiffusionLm;
import dev.strata.propose.RandomSource;
import dev.strata.tasks.text.CharTokenizer;
import dev.strata.tasks.text.TextCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Masked diffusion as a text generator, quality against speed (after EDLM's Table 2 with a
 * character LM): every sampler at several tokens per forward pass, AR ancestral sampling, and real
 * text, all judged by an AR model that is not EDLM's energy.
 *
 * <p>Every sample is {@code length} characters that start with a newline (fixed) — the AR model
 * needs a first token, and the diffusion rows are given the same one. Quality is the judge's NLL
 * per generated character (positions 1 … length − 1 given what precedes them) and the samples'
 * unigram entropy, which exposes repetition that a low NLL can hide. Speed is generated tokens per
 * forward pass, as measured (a sampler may stop early or spend post-edit steps), and wall time. A
 * forward pass is one batched pass over all samples; EDLM's AR scoring passes (each over the
 * samples' k candidates) are counted apart from its denoiser passes.
 */
public final class DiffusionTextBench {
  /** The token every sample starts with (a newline, as a speech starts in the corpus). */
  public static final char FIRST = '\n';

  private DiffusionTextBench() {}

  /**
   * @param samples sequences per row, sampled together in one batch
   * @param length characters per sample, the fixed first one included
   * @param tokensPerForward nominal generated tokens per denoiser forward (steps = (length − 1) /
   *     k, rounded)
   * @param samplers the diffusion samplers to run ({@link DiffusionSamplers#NAMES})
   * @param blockLength llada / edit: block length (divides {@code length})
   * @param temperature of every token draw, AR included (1: the models' distributions)
   * @param candidates EDLM's k candidates per step
   * @param evalBatches validation batches of 32 windows for the NELBO-vs-AR-loss price (0: skip)
   * @param seed of every draw
   */
  public record Settings(
      int samples,
      int length,
      List<Integer> tokensPerForward,
      List<String> samplers,
      int blockLength,
      double temperature,
      int candidates,
      int evalBatches,
      long seed) {

    public Settings {
      tokensPerForward = List.copyOf(tokensPerForward);
      samplers = List.copyOf(samplers);
      if (samples <= 0)
        throw new IllegalArgumentException("--samples must be positive, got " + samples);
      if (length < 2)
        throw new IllegalArgumentException(
            "--length must be at least 2 (a first character and one to generate), got " + length);
      if (tokensPerForward.isEmpty())
        throw new IllegalArgumentException("--tokens-per-forward needs at least one value");
      for (int k : tokensPerForward) {
        if (k < 1 || k > length - 1) {
          throw new IllegalArgumentException(
              "--tokens-per-forward "
                  + k
                  + " must be between 1 and the "
                  + (length - 1)
                  + " generated tokens");
        }
      }
      for (String s : samplers) {
        if (!DiffusionSamplers.NAMES.contains(s)) {
          throw new IllegalArgumentException(
              "unknown sampler '"
                  + s
                  + "'; choose from "
                  + String.join(",", DiffusionSamplers.NAMES));
        }
      }
      if (blockLength < 1 || length % blockLength != 0) {
        throw new IllegalArgumentException(
            "--block " + blockLength + " does not divide the sample length " + length);
      }
      int blocks = length / blockLength;
      if (samplers.contains("llada") || samplers.contains("edit")) {
        for (int k : tokensPerForward) {
          if (steps(length, k) < blocks) {
            throw new IllegalArgumentException(
                "--tokens-per-forward "
                    + k
                    + " gives "
                    + steps(length, k)
                    + " steps, too few for the "
                    + blocks
                    + " blocks of llada/edit; lower it or raise --block");
          }
        }
      }
      if (!(temperature >= 0))
        throw new IllegalArgumentException("--temperature must be ≥ 0, got " + temperature);
      if (candidates < 1)
        throw new IllegalArgumentException("--candidates must be at least 1, got " + candidates);
      if (evalBatches < 0)
        throw new IllegalArgumentException("--eval-batches must be ≥ 0, got " + evalBatches);
    }

    /**
     * The CPU defaults: 32 samples of 128 characters at 1, 2, 4, 8, 16 tokens per forward, every
     * sampler, k = 4.
     */
    public static Settings defaults() {
      return new Settings(
          32, 128, List.of(1, 2, 4, 8, 16), DiffusionSamplers.NAMES, 32, 1.0, 4, 8, 1);
    }

    /** Denoising steps for a nominal {@code k} tokens per forward. */
    static int steps(int length, int k) {
      return Math.max(1, (int) Math.round((length - 1) / (double) k));
    }
  }

  /** The three models: the diffusion model, EDLM's AR energy (also the AR row), and the judge. */
  public record Models(MaskedDiffusionLm diffusion, CausalLm ar, CausalLm judge) {
    public Models {
      if (ar == judge)
        throw new IllegalArgumentException(
            "the judge must not be the AR model that EDLM's energy uses");
      if (ar.config.vocab() != diffusion.vocab() || judge.config.vocab() != diffusion.vocab()) {
        throw new IllegalArgumentException(
            "the AR model ("
                + ar.config.vocab()
                + " tokens), the judge ("
                + judge.config.vocab()
                + ") and the diffusion model ("
                + diffusion.vocab()
                + ") must share one vocabulary");
      }
    }
  }

  /**
   * One way of generating, measured.
   *
   * @param method "real text", "AR ancestral", or the sampler's name
   * @param nominal nominal tokens per denoiser forward (0 for real text, 1 for AR)
   * @param steps denoising steps asked for (AR: tokens)
   * @param tokensPerForward generated tokens per forward pass, measured (per sample)
   * @param forwards batched forward passes of the generator (denoiser, or the AR model for the AR
   *     row)
   * @param arForwards EDLM: batched AR scoring passes (each over samples × k candidates)
   * @param judgeNll mean judge NLL per generated character, nats
   * @param judgeNllStdErr its standard error over the samples
   * @param unigramEntropy mean entropy of each sample's character histogram, bits
   * @param seconds wall time of the generation
   * @param edits token-to-token edits (edit sampler)
   * @param example the first sample
   */
  public record Row(
      String method,
      int nominal,
      int steps,
      double tokensPerForward,
      long forwards,
      long arForwards,
      double judgeNll,
      double judgeNllStdErr,
      double unigramEntropy,
      double seconds,
      long edits,
      String example) {

    /** Every forward pass, the AR scoring passes included. */
    public long totalForwards() {
      return forwards + arForwards;
    }
  }

  /**
   * Masked diffusion's price at equal training: its validation NELBO and the AR model's loss on the
   * same windows.
   */
  public record Price(double diffusionNelbo, double arLoss, int windows, int context) {
    public double gap() {
      return diffusionNelbo - arLoss;
    }
  }

  /** Everything measured, with the summary lines of its targets. */
  public record Result(Settings settings, Price price, List<Row> rows, List<String> summary) {
    /** The rows of one method, by nominal tokens per forward. */
    public List<Row> rows(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).toList();
    }
  }

  /** Runs every row; {@code log} hears one line per row. */
  public static Result run(
      Models m, CharTokenizer tokenizer, TextCorpus corpus, Settings s, Consumer<String> log) {
    if (!tokenizer.alphabet().contains(String.valueOf(FIRST))) {
      throw new IllegalArgumentException(
          "the models' alphabet has no newline, which every sample starts with");
    }
    long first = tokenizer.encode(String.valueOf(FIRST))[0];
    List<Row> rows = new ArrayList<>();
    int total = 2 + s.samplers().size() * s.tokensPerForward().size();
    long t0 = System.nanoTime();
    Consumer<Row> done =
        r -> {
          rows.add(r);
          double el = (System.nanoTime() - t0) / 1e9;
          log.accept(
              String.format(
                  "[%d/%d] %s%s: judge NLL %.3f, %.2f tok/fwd, %.1f s (elapsed %.0f s, about %.0f s left)",
                  rows.size(),
                  total,
                  r.method(),
                  r.nominal() > 0 ? " @" + r.nominal() : "",
                  r.judgeNll(),
                  r.tokensPerForward(),
                  r.seconds(),
                  el,
                  el / rows.size() * (total - rows.size())));
        };
    long[][] real = corpus.valWindowsStartingWith(first, s.samples(), s.length());
    done.accept(judged("real text", 0, 0, 0, 0, 0, real, 0, 0, m.judge(), tokenizer));
    done.accept(arRow(m, first, s, tokenizer));
    CandidateEnergy energy = CandidateEnergy.arResidual(m.ar());
    for (String name : s.samplers()) {
      for (int k : s.tokensPerForward()) {
        int steps = Settings.steps(s.length(), k);
        DiffusionSamplers.Spec spec =
            DiffusionSamplers.Spec.of(steps, s.blockLength(), s.temperature())
                .withEnergy(
                    name.equals("edlm") ? energy : null, s.candidates(), 0, 1, s.seed() + 1);
        DiffusionSampler sampler = DiffusionSamplers.of(name, spec);
        long[][] start =
            DiffusionSampler.prompted(
                new long[] {first}, s.samples(), s.length(), m.diffusion().maskId());
        long t = System.nanoTime();
        DiffusionSample r = sampler.sample(m.diffusion(), start, new RandomSource(s.seed()));
        double secs = (System.nanoTime() - t) / 1e9;
        done.accept(
            judged(
                name,
                k,
                steps,
                r.tokensPerForward(),
                r.denoiserForwards(),
                r.arForwards(),
                r.tokens(),
                secs,
                r.edits().size(),
                m.judge(),
                tokenizer));
      }
    }
    Price price = s.evalBatches() == 0 ? null : price(m, corpus, s);
    Result partial = new Result(s, price, rows, List.of());
    return new Result(s, price, rows, summary(partial));
  }

  private static Row arRow(Models m, long first, Settings s, CharTokenizer tokenizer) {
    int n = s.length() - 1;
    long t = System.nanoTime();
    long[][] gen =
        m.ar()
            .generate(
                new long[] {first},
                s.samples(),
                n,
                new CausalLm.Sampling(s.temperature(), 0, s.seed()));
    double secs = (System.nanoTime() - t) / 1e9;
    long[][] x = new long[s.samples()][s.length()];
    for (int b = 0; b < x.length; b++) {
      x[b][0] = first;
      System.arraycopy(gen[b], 0, x[b], 1, n);
    }
    return judged("AR ancestral", 1, n, 1.0, n, 0, x, secs, 0, m.judge(), tokenizer);
  }

  private static Row judged(
      String method,
      int nominal,
      int steps,
      double tokPerFwd,
      long forwards,
      long arForwards,
      long[][] x,
      double seconds,
      long edits,
      CausalLm judge,
      CharTokenizer tokenizer) {
    double[] nll = judgeNll(judge, x);
    double mean = 0;
    for (double v : nll) mean += v / nll.length;
    double var = 0;
    for (double v : nll) var += (v - mean) * (v - mean) / Math.max(1, nll.length - 1);
    double entropy = 0;
    for (long[] row : x) entropy += unigramEntropyBits(row, 1, row.length) / x.length;
    return new Row(
        method,
        nominal,
        steps,
        tokPerFwd,
        forwards,
        arForwards,
        mean,
        Math.sqrt(var / nll.length),
        entropy,
        seconds,
        edits,
        tokenizer.decode(x[0]));
  }

  /**
   * Per sample, the judge's mean NLL (nats) of positions 1 … T−1 given their prefixes, scored 64
   * samples at a time.
   */
  static double[] judgeNll(CausalLm judge, long[][] x) {
    double[] out = new double[x.length];
    for (int from = 0; from < x.length; from += 64) {
      long[][] part = java.util.Arrays.copyOfRange(x, from, Math.min(x.length, from + 64));
      double[] nll = CandidateEnergy.arNll(judge, part);
      for (int i = 0; i < part.length; i++) out[from + i] = nll[i] / (part[i].length - 1);
    }
    return out;
  }

  /** Entropy in bits of the histogram of {@code row[from, to)}. */
  public static double unigramEntropyBits(long[] row, int from, int to) {
    java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
    for (int i = from; i < to; i++) counts.merge(row[i], 1, Integer::sum);
    double n = to - from;
    double h = 0;
    for (int c : counts.values()) h -= c / n * Math.log(c / n) / Math.log(2);
    return h;
  }

  /**
   * The diffusion model's validation NELBO and the AR model's validation loss on the same held-out
   * windows.
   */
  static Price price(Models m, TextCorpus corpus, Settings s) {
    int context = Math.min(m.diffusion().config.context(), m.ar().config.context());
    int batch = 32;
    double nelbo =
        DiffusionTraining.validationNelbo(
            m.diffusion(), corpus, s.seed(), s.evalBatches(), batch, context);
    boolean wasTraining = m.ar().isTraining();
    m.ar().eval();
    double loss;
    try (var g = Ops.noGrad()) {
      loss = LmTraining.validationLoss(m.ar(), corpus, s.seed(), s.evalBatches(), batch, context);
    } finally {
      m.ar().train(wasTraining);
    }
    return new Price(nelbo, loss, s.evalBatches() * batch, context);
  }

  // ---------------------------------------------------------------- the targets' summary

  /**
   * Forward passes the plain sampler needs to reach {@code targetNll}: its judge-NLL curve (points
   * sorted by forwards) interpolated linearly in log forwards at the first crossing. +∞ when no
   * point of the curve is as low as the target (the plain sampler does not reach it in the range
   * measured); the curve's fewest forwards when even those are at or below the target (read as "at
   * most").
   */
  public static double forwardsToReach(double[] forwards, double[] nll, double targetNll) {
    if (forwards.length == 0) return Double.NaN;
    if (nll[0] <= targetNll) return forwards[0];
    for (int i = 1; i < forwards.length; i++) {
      if (nll[i] <= targetNll) {
        double a = Math.log(forwards[i - 1]);
        double b = Math.log(forwards[i]);
        double f = (nll[i - 1] - targetNll) / (nll[i - 1] - nll[i]);
        return Math.exp(a + f * (b - a));
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * Judge NLL of a sampler's curve interpolated at {@code tokensPerForward} (linear in log
   * tokens/forward); NaN outside it.
   */
  public static double nllAt(List<Row> curve, double tokensPerForward) {
    List<Row> c = new ArrayList<>(curve);
    c.sort((a, b) -> Double.compare(a.tokensPerForward(), b.tokensPerForward()));
    for (int i = 0; i < c.size(); i++) {
      Row r = c.get(i);
      if (Math.abs(r.tokensPerForward() - tokensPerForward) < 1e-9) return r.judgeNll();
      if (i > 0
          && c.get(i - 1).tokensPerForward() < tokensPerForward
          && tokensPerForward < r.tokensPerForward()) {
        Row p = c.get(i - 1);
        double f =
            Math.log(tokensPerForward / p.tokensPerForward())
                / Math.log(r.tokensPerForward() / p.tokensPerForward());
        return p.judgeNll() + f * (r.judgeNll() - p.judgeNll());
      }
    }
    return Double.NaN;
  }

  /**
   * A row counts as "4 tokens per forward" when it measured at least 90% of that (a sampler may run
   * far below its nominal k; rounding the step count alone costs a little: 15 tokens in 4 steps are
   * 3.75 per forward).
   */
  static final double FOUR_MEASURED = 0.9 * 4;

  /**
   * The diffusion row with the lowest judge NLL among those asked for 4 tokens per forward that
   * measured at least {@link #FOUR_MEASURED}: the edit sampler's post-edit passes can take it far
   * below its nominal k, and its NLL there belongs to a slower sampler. Null when no row qualifies.
   */
  static Row bestAtFourTokensPerForward(List<Row> rows) {
    Row best = null;
    for (Row row : rows) {
      if (row.nominal() != 4
          || row.method().equals("AR ancestral")
          || row.tokensPerForward() < FOUR_MEASURED) continue;
      if (best == null || row.judgeNll() < best.judgeNll()) best = row;
    }
    return best;
  }

  static List<String> summary(Result r) {
    List<String> out = new ArrayList<>();
    Price p = r.price();
    Row ar = r.rows("AR ancestral").getFirst();
    Row real = r.rows("real text").getFirst();
    if (p != null) {
      out.add(
          String.format(
              "price: diffusion NELBO %.3f vs AR loss %.3f nats/char on the same %d validation windows of %d: "
                  + "masked diffusion pays %.3f nats/char (%+.1f%%) at this training",
              p.diffusionNelbo(),
              p.arLoss(),
              p.windows(),
              p.context(),
              p.gap(),
              100 * p.gap() / p.arLoss()));
    }
    out.add(
        String.format(
            "reference: real text judge NLL %.3f (entropy %.2f bits); AR ancestral %.3f (entropy %.2f bits)",
            real.judgeNll(), real.unigramEntropy(), ar.judgeNll(), ar.unigramEntropy()));
    List<Row> edit = r.rows("edit");
    List<Row> llada = r.rows("llada");
    if (!edit.isEmpty() && !llada.isEmpty()) {
      int wins = 0;
      int compared = 0;
      StringBuilder sb = new StringBuilder();
      for (Row e : edit) {
        double l = nllAt(llada, e.tokensPerForward());
        if (Double.isNaN(l)) continue;
        compared++;
        if (e.judgeNll() < l) wins++;
        sb.append(
            String.format(
                "%s%.2f tok/fwd: %.3f vs %.3f",
                sb.isEmpty() ? "" : "; ", e.tokensPerForward(), e.judgeNll(), l));
      }
      out.add(
          String.format(
              "edit vs llada at equal forwards (llada interpolated at edit's measured tok/fwd): edit lower judge "
                  + "NLL in %d of %d (%s)",
              wins, compared, sb));
    }
    List<Row> plain = r.rows("ancestral");
    List<Row> edlm = r.rows("edlm");
    if (!plain.isEmpty() && !edlm.isEmpty()) {
      List<Row> curve = new ArrayList<>(plain);
      curve.sort((a, b) -> Long.compare(a.forwards(), b.forwards()));
      double[] f = curve.stream().mapToDouble(Row::forwards).toArray();
      double[] n = curve.stream().mapToDouble(Row::judgeNll).toArray();
      StringBuilder sb = new StringBuilder();
      for (Row e : edlm) {
        double need = forwardsToReach(f, n, e.judgeNll());
        String bound = Double.isInfinite(need) ? "> " : need == f[0] ? "≤ " : "";
        double shown = Double.isInfinite(need) ? f[f.length - 1] : need;
        sb.append(
            String.format(
                "%s@%d: %s%.2f× (denoiser forwards), %s%.2f× (counting AR passes)",
                sb.isEmpty() ? "" : "; ",
                e.nominal(),
                bound,
                shown / e.forwards(),
                bound,
                shown / e.totalForwards()));
      }
      out.add(
          "EDLM: forwards the ancestral sampler needs for EDLM's judge NLL ÷ EDLM's (target ≥ 1.3×): "
              + sb);
    }
    Row best = bestAtFourTokensPerForward(r.rows());
    if (best != null) {
      double rel = best.judgeNll() / ar.judgeNll() - 1;
      List<String> slower =
          r.rows().stream()
              .filter(x -> x.nominal() == 4 && x.tokensPerForward() < FOUR_MEASURED)
              .map(x -> String.format("%s ran at %.2f", x.method(), x.tokensPerForward()))
              .toList();
      out.add(
          String.format(
              "at 4 tokens/forward the best sampler is %s: judge NLL %.3f vs AR ancestral %.3f (%+.1f%%, target "
                  + "within 10%%: %s), entropy %.2f vs %.2f bits%s",
              best.method(),
              best.judgeNll(),
              ar.judgeNll(),
              100 * rel,
              rel <= 0.10 ? "met" : "missed",
              best.unigramEntropy(),
              ar.unigramEntropy(),
              slower.isEmpty()
                  ? ""
                  : " (not counted, slower than asked: "
                      + String.join(", ", slower)
                      + " tok/fwd)"));
    }
    return out;
  }
}
