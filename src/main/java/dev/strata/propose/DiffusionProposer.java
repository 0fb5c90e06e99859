package dev.strata.propose;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Proposer} over a masked-diffusion {@link Denoiser}: the problem's prompt is written at the start of every
 * row and fixed, the answer positions start masked, and a {@link DiffusionSampler} fills them, {@code batch} rows per
 * sampler call. {@link #complete} also fixes the tokens a partial candidate fixes ({@link SequenceCodec#fixed}) and
 * leaves the rest masked, so a search can re-mask the positions an energy blames and let the denoiser fill them again.
 * The denoiser's vocabulary must be the codec's (its mask id is {@code codec.vocab()}).
 */
public final class DiffusionProposer<P, X> implements Proposer<P, X> {
  private final Denoiser denoiser;
  private final SequenceCodec<P, X> codec;
  private final DiffusionSampler sampler;
  private final int batch;
  private long denoiserForwards;
  private long arForwards;

  public DiffusionProposer(Denoiser denoiser, SequenceCodec<P, X> codec, DiffusionSampler sampler, int batch) {
    if (denoiser.vocab() != codec.vocab()) {
      throw new IllegalArgumentException("the denoiser's vocabulary (" + denoiser.vocab() + ") is not the codec's (" + codec.vocab() + ")");
    }
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    this.denoiser = denoiser;
    this.codec = codec;
    this.sampler = sampler;
    this.batch = batch;
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
    return run(problem, null, n, rng);
  }

  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    return run(problem, partial, n, rng);
  }

  private List<X> run(P problem, X partial, int n, RandomSource rng) {
    long[] prompt = codec.prompt(problem);
    int len = codec.answerLength(problem);
    int p = prompt.length;
    long[] row = new long[p + len];
    boolean[] fixedRow = new boolean[p + len];
    System.arraycopy(prompt, 0, row, 0, p);
    java.util.Arrays.fill(fixedRow, 0, p, true);
    for (int t = 0; t < len; t++) {
      long f = partial == null ? -1 : codec.fixed(problem, partial, t);
      row[p + t] = f >= 0 ? f : denoiser.maskId();
      fixedRow[p + t] = f >= 0;
    }
    List<X> out = new ArrayList<>(n);
    for (int from = 0; from < n; from += batch) {
      int b = Math.min(batch, n - from);
      long[][] start = new long[b][];
      boolean[][] fixed = new boolean[b][];
      for (int r = 0; r < b; r++) {
        start[r] = row.clone();
        fixed[r] = fixedRow.clone();
      }
      DiffusionSample s = sampler.sample(denoiser, start, fixed, rng);
      denoiserForwards += s.denoiserForwards();
      arForwards += s.arForwards();
      for (long[] x : s.tokens()) out.add(codec.decode(problem, java.util.Arrays.copyOfRange(x, p, p + len)));
    }
    return out;
  }
}
