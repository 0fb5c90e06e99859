package dev.strata.nn;

/** A lookup table of {@code count} vectors of width {@code dim}, init N(0, 1) as in PyTorch. */
public final class Embedding extends Module {
  public final long count;
  public final long dim;
  public final Tensor weight; // (count, dim)

  public Embedding(long count, long dim) {
    this.count = count;
    this.dim = dim;
    this.weight = param("weight", Ops.randn(count, dim));
  }

  /** int64 ids (…) → (…, dim). */
  public Tensor forward(Tensor ids) {
    return Ops.embedding(weight, ids);
  }
}
