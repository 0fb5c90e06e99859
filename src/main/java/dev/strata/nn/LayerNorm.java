package dev.strata.nn;

/** LayerNorm over the last dimension (Ba et al. 2016): {@code (x − μ)/√(σ² + ε)·γ + β}. */
public final class LayerNorm extends Module {
  public final long dim;
  public final double eps;
  public final Tensor weight; // (dim)
  public final Tensor bias; // (dim) or null

  public LayerNorm(long dim, boolean bias, double eps) {
    this.dim = dim;
    this.eps = eps;
    this.weight = param("weight", Ops.ones(dim));
    this.bias = bias ? param("bias", Ops.zeros(dim)) : null;
  }

  public LayerNorm(long dim) {
    this(dim, true, 1e-5);
  }

  /** (…, dim) → (…, dim). */
  public Tensor forward(Tensor x) {
    return Ops.layerNorm(x, weight, bias, eps);
  }
}
