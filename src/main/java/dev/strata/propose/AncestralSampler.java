package dev.strata.propose;

/**
 * MDLM's ancestral sampler (Sahoo et al. 2024, §3.3): N steps from t = 1 to 0 on the grid t_i =
 * i/N. At the step from t to s = t − 1/N, a clean sequence x0 is drawn from the denoiser at every
 * masked position, and each masked position is unmasked to its x0 token with probability (t − s)/t
 * (the linear schedule's posterior); the last step unmasks everything left. Under SUBS unmasked
 * tokens never change. A step that unmasks nothing leaves x_t as it was, so the next step reuses
 * the cached prediction without a forward pass (MDLM's caching).
 *
 * @param steps N ≥ 1
 * @param temperature of the x0 draws (1: the model's distribution; 0: its argmax)
 */
public record AncestralSampler(int steps, double temperature) implements DiffusionSampler {

  public AncestralSampler {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
  }

  /** The model's own distribution. */
  public AncestralSampler(int steps) {
    this(steps, 1.0);
  }

  @Override
  public DiffusionSample sample(
      Denoiser denoiser, long[][] start, boolean[][] fixed, RandomSource rng) {
    return run(steps, temperature, denoiser, start, fixed, rng, null);
  }

  /**
   * The reverse process, with EDLM's importance-resampled x0 inside its window when {@code edlm} is
   * given.
   */
  static DiffusionSample run(
      int steps,
      double temperature,
      Denoiser denoiser,
      long[][] start,
      boolean[][] fixed,
      RandomSource rng,
      EdlmSampler.Resampler edlm) {
    DenoisingRun run = new DenoisingRun(denoiser, start, fixed);
    int v = run.vocab;
    double[] logq = new double[1];
    for (int i = steps; i >= 1 && run.anyMasked(0, run.length); i--) {
      double t = (double) i / steps;
      float[] lp = run.forward(); // (B·T·V)
      long[][] x0 = new long[run.batch][run.length]; // (B, T): the proposed clean sequences
      double[] logProposal = new double[run.batch]; // log q(x0 | x_t) over the masked positions
      for (int b = 0; b < run.batch; b++) {
        for (int p = 0; p < run.length; p++) {
          if (!run.masked(b, p)) {
            x0[b][p] = run.x[b][p];
            continue;
          }
          x0[b][p] = DenoisingRun.draw(lp, run.offset(b, p), v, temperature, rng, logq);
          logProposal[b] += logq[0];
        }
      }
      if (edlm != null && edlm.config.inWindow(t))
        x0 = edlm.resample(run, lp, x0, logProposal, temperature);
      double unmask = 1.0 / i; // (t − s)/t with s = t − 1/N
      for (int b = 0; b < run.batch; b++) {
        for (int p = 0; p < run.length; p++) {
          if (run.masked(b, p) && (i == 1 || rng.nextDouble() < unmask)) run.commit(b, p, x0[b][p]);
        }
      }
      run.step++;
    }
    return run.result();
  }
}
