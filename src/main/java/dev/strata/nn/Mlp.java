package dev.strata.nn;

import static dev.strata.nn.Ops.gelu;

/**
 * Position-wise feed-forward network (Vaswani et al. 2017, eq. 2) with GELU (Hendrycks &amp; Gimpel
 * 2016, exact erf form): {@code proj(gelu(fc x))}.
 */
public final class Mlp extends Module implements FeedForward {
  public final Linear fc; // dim → hidden
  public final Linear proj; // hidden → dim

  public Mlp(long dim, long hidden, boolean bias) {
    this.fc = child("fc", new Linear(dim, hidden, bias));
    this.proj = child("proj", new Linear(hidden, dim, bias));
  }

  /** Hidden width 4·dim, with biases (GPT-2). */
  public Mlp(long dim) {
    this(dim, 4 * dim, true);
  }

  /** (…, dim) → (…, dim). */
  @Override
  public Tensor forward(Tensor x) {
    return proj.forward(gelu(fc.forward(x)));
  }
}
