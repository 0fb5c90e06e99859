package dev.strata.world;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;

/**
 * SIGReg, the Sketched Isotropic Gaussian Regulariser of LeJEPA / LeWM (Balestriero &amp; LeCun
 * 2025; Maes et al. 2026), exactly as LeWM uses it. For N embeddings z_n ∈ R^D and M random unit
 * directions u_m (fresh every call), the projections x_{n,m} = ⟨z_n, u_m⟩ are tested against N(0,
 * 1) with the Epps–Pulley statistic, the squared distance between their empirical characteristic
 * function and φ(t) = exp(−t²/2), integrated over t ∈ [−3, 3]:
 *
 * <pre>
 *   err_m(t) = (mean_n cos(t·x_{n,m}) − φ(t))² + (mean_n sin(t·x_{n,m}))²
 *   SIGReg   = mean_m  N · Σ_j w_j · err_m(t_j)
 * </pre>
 *
 * with 17 knots t_j evenly spaced on [0, 3] (spacing Δ) and weights w_j = 2Δ inside, Δ at both ends
 * (the trapezoid rule doubled for the symmetric integral), times φ(t_j). For (B, T, D) embeddings
 * it is computed per time step over the batch and averaged over time.
 */
public final class SigReg {
  public static final int KNOTS = 17;
  public static final double T_MAX = 3.0;

  public final int directions;

  /**
   * @param directions M, the number of random projections per call (LeWM: 1024)
   */
  public SigReg(int directions) {
    if (directions <= 0)
      throw new IllegalArgumentException("SIGReg needs at least one direction, got " + directions);
    this.directions = directions;
  }

  /** The knots t_j, j = 1…17, evenly spaced on [0, 3]. */
  public static double[] knots() {
    double[] t = new double[KNOTS];
    for (int j = 0; j < KNOTS; j++) t[j] = T_MAX * j / (KNOTS - 1);
    return t;
  }

  /** φ(t_j) = exp(−t_j²/2), the characteristic function of N(0, 1) at the knots. */
  public static double[] phi() {
    double[] t = knots();
    double[] p = new double[KNOTS];
    for (int j = 0; j < KNOTS; j++) p[j] = Math.exp(-t[j] * t[j] / 2);
    return p;
  }

  /** The quadrature weights w_j·φ(t_j): 2Δ inside, Δ at the ends, times exp(−t_j²/2). */
  public static double[] weights() {
    double[] t = knots();
    double delta = T_MAX / (KNOTS - 1);
    double[] w = new double[KNOTS];
    for (int j = 0; j < KNOTS; j++)
      w[j] = (j == 0 || j == KNOTS - 1 ? delta : 2 * delta) * Math.exp(-t[j] * t[j] / 2);
    return w;
  }

  /** SIGReg of (N, D) or (B, T, D) embeddings against M fresh random unit directions. */
  public Tensor loss(Tensor z) {
    long d = z.size(-1);
    Tensor u = Ops.randn(d, directions); // (D, M) ~ N(0, I)
    u = Ops.to(u, Ops.dtype(z));
    return loss(
        z, u.div(Ops.sum(Ops.pow(u, 2), true, 0).sqrt())); // columns normalised to unit length
  }

  /** SIGReg of (N, D) or (B, T, D) embeddings against the given (D, M) unit directions. */
  public static Tensor loss(Tensor z, Tensor directions) {
    Tensor perStep =
        z.dim() == 2 ? z.unsqueeze(0) : z.transpose(0, 1); // (T, N, D): one test per time step
    long n = perStep.size(1);
    DType dt = Ops.dtype(z);
    Tensor t = Ops.to(Ops.tensor(knots(), KNOTS), dt); // (J)
    Tensor phi = Ops.to(Ops.tensor(phi(), KNOTS), dt); // (J) φ(t_j) = exp(−t_j²/2)
    Tensor w = Ops.to(Ops.tensor(weights(), KNOTS), dt); // (J)
    Tensor x = perStep.matmul(directions); // (T, N, M) projections ⟨z_n, u_m⟩
    Tensor xt = x.unsqueeze(-1).mul(t); // (T, N, M, J)
    Tensor cosMean =
        Ops.mean(xt.cos(), false, 1); // (T, M, J) empirical characteristic function, real part
    Tensor sinMean = Ops.mean(xt.sin(), false, 1); // (T, M, J) imaginary part
    Tensor err = Ops.pow(cosMean.sub(phi), 2).add(Ops.pow(sinMean, 2)); // (T, M, J)
    Tensor stat = Ops.mul(Ops.sum(err.mul(w), false, -1), n); // (T, M): N · Σ_j w_j err_m(t_j)
    return stat.mean(); // over directions and time steps
  }
}
