package dev.strata.nn;

/**
 * adaLN-Zero conditioning (Peebles &amp; Xie 2023, DiT §3.2): a conditioning vector c is mapped by
 * {@code Linear(SiLU(c))} to {@code chunks} modulation vectors (shift, scale, gate, …) of width
 * {@code dim}. The Linear starts at zero, so every gate is 0 and a gated block is the identity at
 * init. Registered under a block as {@code adaLN_modulation}, its Linear is named {@code 1} like
 * DiT's {@code nn.Sequential(nn.SiLU(), nn.Linear(...))}.
 */
public final class AdaLnZero extends Module {
  public final long condDim;
  public final long dim;
  public final int chunks;
  public final Linear linear; // (condDim) → (chunks·dim), zero-initialised

  public AdaLnZero(long condDim, long dim, int chunks) {
    this.condDim = condDim;
    this.dim = dim;
    this.chunks = chunks;
    this.linear = child("1", new Linear(condDim, chunks * dim));
    try (var g = Ops.noGrad()) {
      Ops.fillInPlace(linear.weight, 0);
      Ops.fillInPlace(linear.bias, 0);
    }
  }

  /**
   * (…, condDim) → {@code chunks} tensors (…, dim), in DiT's order (e.g. shift, scale, gate, …).
   */
  public Tensor[] forward(Tensor c) {
    return Ops.chunk(linear.forward(Ops.silu(c)), chunks, -1);
  }

  /** DiT's {@code modulate}: {@code x·(1 + scale) + shift}, broadcasting shift and scale over x. */
  public static Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
    return x.mul(Ops.add(scale, 1.0)).add(shift);
  }
}
