package dev.strata.nn;

/**
 * Decode state of a {@link Mamba2Block}: the last K−1 inputs of its causal convolution and the SSM
 * state of every head. Its size does not depend on how many tokens it has seen.
 */
public final class Mamba2State implements LayerState {
  private Tensor conv; // (B, convDim, K−1)
  private Tensor ssm; // (B, H, P, N)
  private long position;

  Mamba2State(Tensor conv, Tensor ssm) {
    this.conv = Ops.retain(conv);
    this.ssm = Ops.retain(ssm);
  }

  /** The convolution history (B, convDim, K−1). */
  public Tensor conv() {
    return conv;
  }

  /** The SSM state (B, H, P, N). */
  public Tensor ssm() {
    return ssm;
  }

  /** Replaces both tensors after {@code tokens} more tokens. */
  void advance(Tensor nextConv, Tensor nextSsm, long tokens) {
    Ops.retain(nextConv);
    Ops.retain(nextSsm);
    Ops.release(conv);
    Ops.release(ssm);
    conv = nextConv;
    ssm = nextSsm;
    position += tokens;
  }

  @Override
  public void reorder(Tensor indices) {
    Ops.reorderRows(conv, indices);
    Ops.reorderRows(ssm, indices);
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long bytes() {
    return conv.numel() * conv.element_size() + ssm.numel() * ssm.element_size();
  }

  @Override
  public void close() {
    Ops.release(conv);
    Ops.release(ssm);
    conv = null;
    ssm = null;
  }
}
