package dev.strata.nn;

/**
 * Sizes of a Mamba-2 block (Dao &amp; Gu 2024). The defaults suit small CPU models: head dim 32,
 * state 64, expand 2, one B/C group, conv kernel 4, chunk 64.
 *
 * @param dModel width of the residual stream
 * @param dState N, the state size per head (columns of B and C)
 * @param headDim P, channels per head
 * @param expand inner width = expand · dModel
 * @param nGroups G, groups of heads that share B and C
 * @param convKernel width of the depthwise causal convolution
 * @param chunk Q, the chunk length of the SSD scan (32–64 suits a CPU)
 */
public record Mamba2Config(
    int dModel, int dState, int headDim, int expand, int nGroups, int convKernel, int chunk) {
  public Mamba2Config {
    if (dModel <= 0
        || dState <= 0
        || headDim <= 0
        || expand <= 0
        || nGroups <= 0
        || convKernel <= 0
        || chunk <= 0) {
      throw new IllegalArgumentException("Mamba2Config sizes must be positive: " + this);
    }
    if ((long) expand * dModel % headDim != 0) {
      throw new IllegalArgumentException(
          "inner width " + expand * dModel + " is not a multiple of headDim " + headDim);
    }
    if ((long) expand * dModel / headDim % nGroups != 0) {
      throw new IllegalArgumentException(
          expand * dModel / headDim + " heads do not split into " + nGroups + " groups");
    }
  }

  /** The defaults for the given width. */
  public Mamba2Config(int dModel) {
    this(dModel, 64, 32, 2, 1, 4, 64);
  }

  /** Inner width expand · dModel (the x, z channels). */
  public int dInner() {
    return expand * dModel;
  }

  /** Number of SSM heads H = dInner / headDim. */
  public int nHeads() {
    return dInner() / headDim;
  }

  /** Channels of the convolution: x, B and C. */
  public int convDim() {
    return dInner() + 2 * nGroups * dState;
  }

  /** Output width of in_proj: z, x, B, C and one Δ per head. */
  public int inProjDim() {
    return 2 * dInner() + 2 * nGroups * dState + nHeads();
  }

  /** Floats of the SSM state h per sequence: H·P·N (the memory a recall task can use). */
  public long ssmStateSize() {
    return (long) nHeads() * headDim * dState;
  }

  /**
   * Floats of the whole decode state per sequence: the conv history (convDim·(K−1)) and h (H·P·N).
   */
  public long decodeStateSize() {
    return (long) convDim() * (convKernel - 1) + ssmStateSize();
  }

  public Mamba2Config withChunk(int q) {
    return new Mamba2Config(dModel, dState, headDim, expand, nGroups, convKernel, q);
  }
}
