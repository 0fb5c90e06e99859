package dev.strata.nn;

import static dev.strata.nn.Ops.linear;

/** {@code y = x·Wᵀ + b}, with PyTorch's default init U(−1/√in, 1/√in). */
public final class Linear extends Module {
  public final long in;
  public final long out;
  public final Tensor weight; // (out, in)
  public final Tensor bias; // (out) or null

  public Linear(long in, long out, boolean bias) {
    this.in = in;
    this.out = out;
    double bound = 1.0 / Math.sqrt(in);
    this.weight = param("weight", Ops.uniform(-bound, bound, out, in));
    this.bias = bias ? param("bias", Ops.uniform(-bound, bound, out)) : null;
  }

  public Linear(long in, long out) {
    this(in, out, true);
  }

  /** (…, in) → (…, out). */
  public Tensor forward(Tensor x) {
    return linear(x, weight, bias);
  }
}
