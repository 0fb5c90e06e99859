package dev.strata.search;

import dev.strata.propose.RandomSource;

/**
 * Gaussian noise with power spectral density ∝ 1/f^β along a time axis (Timmer and König 1995): β =
 * 0 is white noise, larger β puts more power in low frequencies, so consecutive actions move
 * together — iCEM's samples (Pinneri et al. 2020), which explore better than white noise on
 * long-horizon control. Each series has unit variance at every step, in expectation.
 *
 * @param exponent β ≥ 0
 * @param steps T, the length of a series
 */
public record ColoredNoise(double exponent, int steps) {
  public ColoredNoise {
    if (exponent < 0 || steps < 1)
      throw new IllegalArgumentException(
          "colored noise needs β ≥ 0 and ≥ 1 step, got β " + exponent + ", " + steps + " steps");
  }

  /**
   * Fills {@code out[t·channels + c]} for t < T with independent series, one per channel: a random
   * sum of the real Fourier basis, each frequency k/T weighted by (k/T)^(−β/2) (the zero frequency
   * by the lowest non-zero one's weight), scaled to unit variance.
   */
  public void sample(RandomSource rng, float[] out, int channels) {
    if (out.length != steps * channels)
      throw new IllegalArgumentException(
          "colored noise of " + steps + " steps × " + channels + " channels needs " + out.length);
    int half = steps / 2; // frequencies 0..⌊T/2⌋
    double[] scale = new double[half + 1];
    double variance = 0;
    for (int k = 0; k <= half; k++) {
      double f = Math.max(k, 1) / (double) steps;
      scale[k] = Math.pow(f, -exponent / 2);
      boolean cosineOnly = k == 0 || 2 * k == steps; // these have no sine term
      // an orthonormal real Fourier basis has √(1/T) for the cosine-only vectors and √(2/T) for
      // the others, so white noise gives their coefficients variance ¼ and ½ here
      variance += scale[k] * scale[k] * (cosineOnly ? 0.25 : 0.5);
    }
    double norm = 1 / Math.sqrt(variance);
    for (int c = 0; c < channels; c++) {
      double[] a = new double[half + 1], b = new double[half + 1];
      for (int k = 0; k <= half; k++) {
        boolean cosineOnly = k == 0 || 2 * k == steps;
        a[k] = rng.nextGaussian() * (cosineOnly ? 0.5 : Math.sqrt(0.5));
        b[k] = cosineOnly ? 0 : rng.nextGaussian() * Math.sqrt(0.5);
      }
      for (int t = 0; t < steps; t++) {
        double x = 0;
        for (int k = 0; k <= half; k++) {
          double w = 2 * Math.PI * k * t / steps;
          x += scale[k] * (a[k] * Math.cos(w) + b[k] * Math.sin(w));
        }
        out[t * channels + c] = (float) (x * norm);
      }
    }
  }
}
