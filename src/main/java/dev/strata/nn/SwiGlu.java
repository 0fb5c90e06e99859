package dev.strata.nn;

import static dev.strata.nn.Ops.silu;

/**
 * SwiGLU feed-forward (Shazeer 2020, "GLU Variants Improve Transformer", FFN_SwiGLU), named as in
 * llama: {@code w2(silu(w1 x) ⊙ w3 x)}.
 */
public final class SwiGlu extends Module implements FeedForward {
  public final Linear w1; // dim → hidden, the gate
  public final Linear w2; // hidden → dim
  public final Linear w3; // dim → hidden, the value

  public SwiGlu(long dim, long hidden, boolean bias) {
    this.w1 = child("w1", new Linear(dim, hidden, bias));
    this.w2 = child("w2", new Linear(hidden, dim, bias));
    this.w3 = child("w3", new Linear(dim, hidden, bias));
  }

  /** Without biases, as in the paper and llama. */
  public SwiGlu(long dim, long hidden) {
    this(dim, hidden, false);
  }

  /** (…, dim) → (…, dim). */
  @Override
  public Tensor forward(Tensor x) {
    return w2.forward(silu(w1.forward(x)).mul(w3.forward(x)));
  }
}
