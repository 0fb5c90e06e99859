package dev.strata.propose;

/**
 * EDLM (Xu et al. 2024, "Energy-Based Diffusion Language Models", Alg. 1): MDLM's ancestral sampler
 * in which, at the steps whose time t lies in a window, the x0 of the reverse step is
 * importance-resampled: k candidate completions are drawn from the denoiser (one forward pass
 * serves all k, as its factorised distribution is sampled k times), one is kept with probability ∝
 * exp(−E(x)/τ) — exp(−E), not the released code's softmax(+E), a reported sign bug — and the
 * standard reverse step unmasks positions to its tokens. With {@link CandidateEnergy#arResidual}
 * the target is the AR model's distribution.
 *
 * <p>Candidate 0 is the plain sampler's own draw (from the caller's random source); candidates
 * 1…k−1 and the resampling draw come from a second stream seeded by {@code seed}. When all k
 * energies are equal the weights are uniform and candidate 0 is kept: the candidates are
 * exchangeable, so this is the uniform choice in distribution, and an energy that is constant
 * leaves the sampler exactly the plain one under the same seed.
 *
 * @param steps N ≥ 1 (as {@link AncestralSampler})
 * @param temperature of the candidates' token draws
 * @param candidates k ≥ 1
 * @param windowLow importance sampling runs at steps with windowLow &lt; t ≤ windowHigh
 * @param windowHigh see windowLow
 * @param energyTemperature τ &gt; 0 of exp(−E/τ)
 * @param energy the energy E
 * @param seed seed of the candidate stream
 */
public record EdlmSampler(
    int steps,
    double temperature,
    int candidates,
    double windowLow,
    double windowHigh,
    double energyTemperature,
    CandidateEnergy energy,
    long seed)
    implements DiffusionSampler {

  public EdlmSampler {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
    if (candidates < 1)
      throw new IllegalArgumentException("candidates must be at least 1, got " + candidates);
    if (!(windowLow <= windowHigh))
      throw new IllegalArgumentException("window (" + windowLow + ", " + windowHigh + "] is empty");
    if (!(energyTemperature > 0))
      throw new IllegalArgumentException(
          "energy temperature must be positive, got " + energyTemperature);
    if (energy == null)
      throw new IllegalArgumentException(
          "EDLM needs an energy (e.g. an AR model's residual energy)");
  }

  /**
   * The defaults: temperature 1, k = 4 candidates over the whole trajectory (window (0, 1]), τ = 1.
   */
  public static EdlmSampler of(int steps, CandidateEnergy energy, long seed) {
    return new EdlmSampler(steps, 1.0, 4, 0.0, 1.0, 1.0, energy, seed);
  }

  @Override
  public DiffusionSample sample(
      Denoiser denoiser, long[][] start, boolean[][] fixed, RandomSource rng) {
    return AncestralSampler.run(
        steps, temperature, denoiser, start, fixed, rng, new Resampler(this));
  }

  boolean inWindow(double t) {
    return t > windowLow && t <= windowHigh;
  }

  /** Per-run state: the candidate stream. */
  static final class Resampler {
    final EdlmSampler config;
    final RandomSource stream;

    Resampler(EdlmSampler config) {
      this.config = config;
      this.stream = new RandomSource(config.seed());
    }

    /**
     * One x0 per row: the importance-resampled one of k candidates (candidate 0 is {@code first}).
     */
    long[][] resample(
        DenoisingRun run, float[] lp, long[][] first, double[] firstLogProb, double temperature) {
      int k = config.candidates();
      if (k == 1) return first;
      int n = run.batch * k;
      long[][] all = new long[n][]; // (B·k, T): row b's candidates at b·k … b·k + k − 1
      double[] logq = new double[n];
      double[] tmp = new double[1];
      for (int b = 0; b < run.batch; b++) {
        all[b * k] = first[b];
        logq[b * k] = firstLogProb[b];
        for (int c = 1; c < k; c++) {
          long[] cand = run.x[b].clone();
          double lq = 0;
          for (int p = 0; p < run.length; p++) {
            if (!run.masked(b, p)) continue;
            cand[p] = DenoisingRun.draw(lp, run.offset(b, p), run.vocab, temperature, stream, tmp);
            lq += tmp[0];
          }
          all[b * k + c] = cand;
          logq[b * k + c] = lq;
        }
      }
      double[] e = config.energy().energies(all, logq);
      int arPasses = config.energy().arForwardsPerCall();
      run.arForwards += arPasses;
      if (arPasses > 0) run.arSequences += n;
      long[][] out = new long[run.batch][];
      for (int b = 0; b < run.batch; b++) {
        double[] rowE = java.util.Arrays.copyOfRange(e, b * k, b * k + k);
        out[b] = all[b * k + pick(rowE, config.energyTemperature(), stream)];
      }
      return out;
    }
  }

  /**
   * An index drawn with probability ∝ exp(−E_i/τ) (shifted by the minimum, so no overflow);
   * candidate 0 when all energies are equal (see the class comment).
   */
  static int pick(double[] energies, double tau, RandomSource rng) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : energies) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min == max) return 0;
    return rng.boltzmann(energies, tau);
  }
}
