package dev.strata.nn;

/**
 * Decode state of a {@link Mamba3Block}: the rotation angles θ (mod 2π), the SSM state h, and the
 * rotated k̃ and the input v of the last token (the trapezoidal rule's left end). All zeros before
 * the first token; its size does not depend on how many tokens it has seen.
 */
public final class Mamba3State implements LayerState {
  private Tensor angle; // (B, H, S)
  private Tensor ssm; // (B, H, P, N)
  private Tensor k; // (B, H, N)
  private Tensor v; // (B, H, P)
  private long position;

  Mamba3State(Tensor angle, Tensor ssm, Tensor k, Tensor v) {
    this.angle = Ops.retain(angle);
    this.ssm = Ops.retain(ssm);
    this.k = Ops.retain(k);
    this.v = Ops.retain(v);
  }

  /** The cumulative rotation angles θ mod 2π (B, H, S). */
  public Tensor angle() {
    return angle;
  }

  /** The SSM state h (B, H, P, N). */
  public Tensor ssm() {
    return ssm;
  }

  /** k̃ of the last token (B, H, N). */
  public Tensor k() {
    return k;
  }

  /** v of the last token (B, H, P). */
  public Tensor v() {
    return v;
  }

  /** Replaces all four tensors after {@code tokens} more tokens. */
  void advance(Tensor nextAngle, Tensor nextSsm, Tensor nextK, Tensor nextV, long tokens) {
    Tensor[] next = {nextAngle, nextSsm, nextK, nextV};
    for (Tensor t : next) Ops.retain(t);
    release();
    angle = nextAngle;
    ssm = nextSsm;
    k = nextK;
    v = nextV;
    position += tokens;
  }

  private void release() {
    Ops.release(angle);
    Ops.release(ssm);
    Ops.release(k);
    Ops.release(v);
  }

  @Override
  public void reorder(Tensor indices) {
    Ops.reorderRows(angle, indices);
    Ops.reorderRows(ssm, indices);
    Ops.reorderRows(k, indices);
    Ops.reorderRows(v, indices);
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long bytes() {
    long bytes = 0;
    for (Tensor t : new Tensor[] {angle, ssm, k, v}) bytes += t.numel() * t.element_size();
    return bytes;
  }

  @Override
  public void close() {
    release();
    angle = null;
    ssm = null;
    k = null;
    v = null;
  }
}
