package dev.strata.propose;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Proposer} over a masked-diffusion {@link Denoiser}: the problem's prompt is written at
 * the start of every row and fixed, the answer positions start masked, and a {@link
 * DiffusionSampler} fills them, {@code batch} rows per sampler call. {@link #complete} also fixes
 * the tokens a partial candidate fixes ({@link SequenceCodec#fixed}) and leaves the rest masked, so
 * a search can re-mask the positions an energy blames and let the denoiser fill them again. The
 * denoiser's vocabulary must be the codec's (its mask id is {@code codec.vocab()}).
 */
public final class DiffusionProposer<P, X> implements Proposer<P, X> {
  private final Denoiser denoiser;
  private final SequenceCodec<P, X> codec;
  private final DiffusionSampler sampler;
  private final int batch;
  private long denoiserForwards;
  private long arForwards;

  public DiffusionProposer(
      Denoiser denoiser, SequenceCodec<P, X> codec, DiffusionSampler sampler, int batch) {
    if (denoiser.vocab() != codec.vocab()) {
      throw new IllegalArgumentException(
          "the denoiser's vocabulary ("
              + denoiser.vocab()
              + ") is not the codec's ("
              + codec.vocab()
              + ")");
    }
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    this.denoiser = denoiser;
    this.codec = codec;
    this.sampler = sampler;
    this.batch = batch;
  }

  /**
   * Easy-first decoding (Ye et al. 2025; LLaDA's low-confidence remasking over one block of the
   * whole {@code length} tokens): each of {@code steps} steps predicts every masked answer position
   * (argmax, or drawn at {@code temperature}) and commits the most confident; with steps = answer
   * length, one token per step.
   */
  public static <P, X> DiffusionProposer<P, X> easyFirst(
      Denoiser denoiser,
      SequenceCodec<P, X> codec,
      int length,
      int steps,
      double temperature,
      int batch) {
    return new DiffusionProposer<>(
        denoiser, codec, new LowConfidenceSampler(steps, length, temperature), batch);
  }

  public DiffusionProposer<P, X> with(DiffusionSampler s) {
    return new DiffusionProposer<>(denoiser, codec, s, batch);
  }

  /** Denoiser forward passes of all calls so far (each over up to {@code batch} rows). */
  public long denoiserForwards() {
    return denoiserForwards;
  }

  /** AR forward passes of all calls so far (an EDLM sampler's energy). */
  public long arForwards() {
    return arForwards;
  }

  @Override
  public List<X> propose(P problem, int n, RandomSource rng) {
    return run(List.of(problem), null, n, rng);
  }

  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    return run(List.of(problem), partial, n, rng);
  }

  /**
   * {@code n} candidates for each of several problems, rows of different problems sharing sampler
   * calls (all prompts and answers of equal length): problem i's candidates are {@code [i·n,
   * (i+1)·n)} of the result.
   */
  public List<X> proposeEach(List<P> problems, int n, RandomSource rng) {
    return run(problems, null, n, rng);
  }

  private List<X> run(List<P> problems, X partial, int n, RandomSource rng) {
    int rows = problems.size() * n;
    long[][] start = new long[rows][];
    boolean[][] fixed = new boolean[rows][];
    int p = -1;
    int len = -1;
    for (int i = 0; i < problems.size(); i++) {
      P problem = problems.get(i);
      long[] prompt = codec.prompt(problem);
      if (p >= 0 && (prompt.length != p || codec.answerLength(problem) != len)) {
        throw new IllegalArgumentException(
            "problems of one batch must share prompt and answer lengths");
      }
      p = prompt.length;
      len = codec.answerLength(problem);
      long[] row = new long[p + len];
      boolean[] fixedRow = new boolean[p + len];
      System.arraycopy(prompt, 0, row, 0, p);
      java.util.Arrays.fill(fixedRow, 0, p, true);
      for (int t = 0; t < len; t++) {
        long f = partial == null ? -1 : codec.fixed(problem, partial, t);
        row[p + t] = f >= 0 ? f : denoiser.maskId();
        fixedRow[p + t] = f >= 0;
      }
      for (int r = 0; r < n; r++) {
        start[i * n + r] = row.clone();
        fixed[i * n + r] = fixedRow.clone();
      }
    }
    List<X> out = new ArrayList<>(rows);
    for (int from = 0; from < rows; from += batch) {
      int to = Math.min(rows, from + batch);
      DiffusionSample s =
          sampler.sample(
              denoiser,
              java.util.Arrays.copyOfRange(start, from, to),
              java.util.Arrays.copyOfRange(fixed, from, to),
              rng);
      denoiserForwards += s.denoiserForwards();
      arForwards += s.arForwards();
      for (int r = 0; r < to - from; r++) {
        long[] x = s.tokens()[r];
        out.add(
            codec.decode(
                problems.get((from + r) / n), java.util.Arrays.copyOfRange(x, p, p + len)));
      }
    }
    return out;
  }
}
