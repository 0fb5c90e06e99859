package dev.strata.nn;

/** RMSNorm (Zhang &amp; Sennrich 2019): {@code x / √(mean(x²) + ε) · γ}. */
public final class RMSNorm extends Module {
  public final long dim;
  public final double eps;
  public final Tensor weight; // (dim)

  public RMSNorm(long dim, double eps) {
    this.dim = dim;
    this.eps = eps;
    this.weight = param("weight", Ops.ones(dim));
  }

  public RMSNorm(long dim) {
    this(dim, 1e-5);
  }

  /** (…, dim) → (…, dim). */
  public Tensor forward(Tensor x) {
    return Ops.rmsNorm(x, weight, eps);
  }
}
