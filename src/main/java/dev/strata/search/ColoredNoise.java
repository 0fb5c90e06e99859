package dev.strata.search;

import dev.strata.propose.RandomSource;

/**
 * Gaussian noise with power spectral density ∝ 1/f^β along a time axis (Timmer and König 1995): β =
 * 0 is white noise, larger β puts more power in low frequencies, so consecutive actions move
 * together — iCEM's samples (Pinneri et al. 2020), which explore better than white noise on
 * long-horizon control. Each series has unit variance at every step, in expectation. The Fourier
 * basis, already weighted and normalised, is computed once here: a planner draws thousands of
 * series per plan.
 */
public final class ColoredNoise {
  private final int steps;
  private final int half; // frequencies 0..⌊T/2⌋

  /** (k/T)^(−β/2) · cos(2πkt/T) / σ and the same with sin, indexed [k][t]. */
  private final double[][] cos, sin;

  /** Whether frequency k has no sine term (k = 0, and k = T/2 for even T). */
  private final boolean[] cosineOnly;

  /**
   * @param exponent β ≥ 0
   * @param steps T, the length of a series
   */
  public ColoredNoise(double exponent, int steps) {
    if (exponent < 0 || steps < 1)
      throw new IllegalArgumentException(
          "colored noise needs β ≥ 0 and ≥ 1 step, got β " + exponent + ", " + steps + " steps");
    this.steps = steps;
    this.half = steps / 2;
    double[] scale = new double[half + 1];
    cosineOnly = new boolean[half + 1];
    double variance = 0;
    for (int k = 0; k <= half; k++) {
      double f = Math.max(k, 1) / (double) steps; // the zero frequency weighted as the lowest other
      scale[k] = Math.pow(f, -exponent / 2);
      cosineOnly[k] = k == 0 || 2 * k == steps;
      // an orthonormal real Fourier basis has √(1/T) for the cosine-only vectors and √(2/T) for
      // the others, so white noise gives their coefficients variance ¼ and ½ here
      variance += scale[k] * scale[k] * (cosineOnly[k] ? 0.25 : 0.5);
    }
    double norm = 1 / Math.sqrt(variance);
    cos = new double[half + 1][steps];
    sin = new double[half + 1][steps];
    for (int k = 0; k <= half; k++) {
      for (int t = 0; t < steps; t++) {
        double w = 2 * Math.PI * k * t / steps;
        cos[k][t] = scale[k] * Math.cos(w) * norm;
        sin[k][t] = scale[k] * Math.sin(w) * norm;
      }
    }
  }

  /**
   * Fills {@code out[t·channels + c]} for t &lt; T with independent series, one per channel: a
   * random sum of the weighted real Fourier basis, scaled to unit variance.
   */
  public void sample(RandomSource rng, float[] out, int channels) {
    if (out.length != steps * channels)
      throw new IllegalArgumentException(
          "colored noise of " + steps + " steps × " + channels + " channels needs " + out.length);
    double[] a = new double[half + 1], b = new double[half + 1];
    for (int c = 0; c < channels; c++) {
      for (int k = 0; k <= half; k++) {
        a[k] = rng.nextGaussian() * (cosineOnly[k] ? 0.5 : Math.sqrt(0.5));
        b[k] = cosineOnly[k] ? 0 : rng.nextGaussian() * Math.sqrt(0.5);
      }
      for (int t = 0; t < steps; t++) {
        double x = 0;
        for (int k = 0; k <= half; k++) x += a[k] * cos[k][t] + b[k] * sin[k][t];
        out[t * channels + c] = (float) x;
      }
    }
  }
}
