package dev.strata.nn;

import java.util.Arrays;

/**
 * Keys and values of one attention layer for incremental decoding: two {@code (B, H, maxLen, hd)}
 * tensors filled left to right, so a step writes its T new positions in place instead of
 * re-concatenating the whole prefix.
 *
 * <p>The tensors are allocated once, at the first {@link #append}, with the dtype and device of the
 * keys appended. The cache holds detached copies: decoding is inference, and training uses the
 * full-sequence {@code forward(x)}.
 */
public final class KvCache implements LayerState {
  public final long batch;
  public final long heads;
  public final long maxLen;
  public final long headDim;
  private Tensor keys; // (B, H, maxLen, hd), retained; null until the first append
  private Tensor values; // (B, H, maxLen, hd), retained
  private long position;
  private boolean closed;

  public KvCache(long batch, long heads, long maxLen, long headDim) {
    if (batch <= 0 || heads <= 0 || maxLen <= 0 || headDim <= 0) {
      throw new IllegalArgumentException(
          "KV cache sizes must be positive: batch "
              + batch
              + ", heads "
              + heads
              + ", maxLen "
              + maxLen
              + ", headDim "
              + headDim);
    }
    this.batch = batch;
    this.heads = heads;
    this.maxLen = maxLen;
    this.headDim = headDim;
  }

  /**
   * Writes {@code k} and {@code v}, each (B, H, T, hd), at positions {@code position() …
   * position()+T−1} and advances the position by T.
   *
   * @throws IllegalStateException if the T new positions do not fit in {@code maxLen}
   */
  public void append(Tensor k, Tensor v) {
    checkOpen();
    long t = k.size(2);
    if (k.dim() != 4
        || k.size(0) != batch
        || k.size(1) != heads
        || k.size(3) != headDim
        || !Arrays.equals(Ops.shape(k), Ops.shape(v))) {
      throw new IllegalArgumentException(
          "KV cache for (B="
              + batch
              + ", H="
              + heads
              + ", T, hd="
              + headDim
              + ") cannot take keys "
              + Arrays.toString(Ops.shape(k))
              + " and values "
              + Arrays.toString(Ops.shape(v)));
    }
    if (position + t > maxLen) {
      throw new IllegalStateException(
          "KV cache is full: appending "
              + t
              + " token(s) at position "
              + position
              + " would exceed maxLen "
              + maxLen
              + "; create the state with a larger maxLen");
    }
    if (keys == null) {
      keys = Ops.retain(k.new_empty(batch, heads, maxLen, headDim));
      values = Ops.retain(v.new_empty(batch, heads, maxLen, headDim));
    }
    try (var g = Ops.noGrad()) {
      keys.narrow(2, position, t).copy_(k);
      values.narrow(2, position, t).copy_(v);
    }
    position += t;
  }

  /** The cached keys so far: a (B, H, position(), hd) view. */
  public Tensor keys() {
    return filled(keys);
  }

  /** The cached values so far: a (B, H, position(), hd) view. */
  public Tensor values() {
    return filled(values);
  }

  private Tensor filled(Tensor t) {
    checkOpen();
    if (t == null)
      throw new IllegalStateException("KV cache is empty: nothing has been appended yet");
    return t.narrow(2, 0, position);
  }

  /**
   * Keeps, for each row {@code i} of the batch, the cached sequence of row {@code indices[i]}
   * (int64 (B)), as beam search and resampling do when they pick which candidates survive.
   */
  @Override
  public void reorder(Tensor indices) {
    checkOpen();
    if (keys == null) return;
    Ops.reorderRows(keys(), indices); // only the filled part needs moving
    Ops.reorderRows(values(), indices);
  }

  /** Forgets the cached tokens (keeps the allocation for reuse). */
  public void reset() {
    checkOpen();
    position = 0;
  }

  @Override
  public long position() {
    return position;
  }

  /**
   * Bytes of the filled part, keys and values: {@code 2·B·H·position()·hd·elementSize}. This is the
   * cache's logical size and grows with the position; see {@link #allocatedBytes()} for the
   * preallocated total.
   */
  @Override
  public long bytes() {
    return keys == null ? 0 : 2 * batch * heads * position * headDim * keys.element_size();
  }

  /** Bytes allocated for keys and values at {@code maxLen} (0 before the first append). */
  public long allocatedBytes() {
    return keys == null ? 0 : 2 * batch * heads * maxLen * headDim * keys.element_size();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    Ops.release(keys);
    Ops.release(values);
    keys = null;
    values = null;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("KV cache is closed");
  }
}
