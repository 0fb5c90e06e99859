package dev.strata.world;

/**
 * A linear probe: ridge regression y ≈ W·[z, 1] fitted by the normal equations in float64, and the
 * coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² per output on other data.
 */
public final class LinearProbe {
  private final double[][] weights; // (outputs, D + 1)

  private LinearProbe(double[][] weights) {
    this.weights = weights;
  }

  /**
   * Fits features (n, D) to targets (n, outputs) with ridge penalty {@code ridge} (bias not
   * penalised).
   */
  public static LinearProbe fit(float[][] features, double[][] targets, double ridge) {
    int n = features.length, d = features[0].length + 1, outs = targets[0].length;
    double[][] a = new double[d][d];
    double[][] b = new double[outs][d];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d - 1; j++) row[j] = features[i][j];
      row[d - 1] = 1;
      for (int j = 0; j < d; j++) {
        for (int k = j; k < d; k++) a[j][k] += row[j] * row[k];
        for (int o = 0; o < outs; o++) b[o][j] += row[j] * targets[i][o];
      }
    }
    for (int j = 0; j < d; j++) {
      for (int k = 0; k < j; k++) a[j][k] = a[k][j];
      if (j < d - 1) a[j][j] += ridge * n;
    }
    double[][] w = new double[outs][];
    for (int o = 0; o < outs; o++) w[o] = solve(a, b[o]);
    return new LinearProbe(w);
  }

  /** Gaussian elimination with partial pivoting on copies of a and b. */
  private static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) a[i] = a0[i].clone();
    double[] b = b0.clone();
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      double[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      double tb = b[c];
      b[c] = b[p];
      b[p] = tb;
      if (Math.abs(a[c][c]) < 1e-300)
        throw new IllegalStateException("probe features are degenerate");
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        if (f == 0) continue;
        for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** ŷ for one feature vector. */
  public double[] predict(float[] z) {
    double[] y = new double[weights.length];
    for (int o = 0; o < weights.length; o++) {
      double s = weights[o][z.length];
      for (int j = 0; j < z.length; j++) s += weights[o][j] * z[j];
      y[o] = s;
    }
    return y;
  }

  /** R² per output on (features, targets). */
  public double[] r2(float[][] features, double[][] targets) {
    int outs = targets[0].length, n = targets.length;
    double[] mean = new double[outs], ssRes = new double[outs], ssTot = new double[outs];
    for (double[] t : targets) for (int o = 0; o < outs; o++) mean[o] += t[o] / n;
    for (int i = 0; i < n; i++) {
      double[] y = predict(features[i]);
      for (int o = 0; o < outs; o++) {
        ssRes[o] += (targets[i][o] - y[o]) * (targets[i][o] - y[o]);
        ssTot[o] += (targets[i][o] - mean[o]) * (targets[i][o] - mean[o]);
      }
    }
    double[] r2 = new double[outs];
    for (int o = 0; o < outs; o++) r2[o] = 1 - ssRes[o] / ssTot[o];
    return r2;
  }
}
