package dev.strata.nn;

/** Element-wise nonlinearities a layer can be configured with. */
public enum Activation {
  /** Exact (erf) GELU, PyTorch's {@code nn.GELU()} (Hendrycks &amp; Gimpel 2016). */
  GELU,
  /** {@code x·σ(x)}, PyTorch's {@code nn.SiLU()}. */
  SILU,
  RELU;

  public Tensor apply(Tensor x) {
    return switch (this) {
      case GELU -> Ops.gelu(x);
      case SILU -> Ops.silu(x);
      case RELU -> Ops.relu(x);
    };
  }
}
