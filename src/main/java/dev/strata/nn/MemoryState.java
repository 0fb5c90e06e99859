package dev.strata.nn;

/**
 * Decode state of a {@link MemoryBlock}: the conv history over q, k, v (when the block has a conv),
 * and the memory update's {@link MemoryScan.State} — the memory M, the surprise S and the reference
 * memory the chunk's gradients are taken at — with the position, whose remainder modulo the chunk
 * length says where the next chunk boundary falls. Its size does not depend on how many tokens it
 * has seen.
 */
public final class MemoryState implements LayerState {
  private Tensor conv; // (B, 3·H·P, K−1), or null without a conv
  private Tensor memory; // (B, H, P, P)
  private Tensor surprise; // (B, H, P, P)
  private Tensor reference; // (B, H, P, P)
  private long position;

  MemoryState(Tensor conv, MemoryScan.State scan) {
    this.conv = conv == null ? null : Ops.retain(conv);
    this.memory = Ops.retain(scan.memory());
    this.surprise = Ops.retain(scan.surprise());
    this.reference = Ops.retain(scan.reference());
  }

  /** The conv history (B, 3·H·P, K−1), or null when the block has no conv. */
  public Tensor conv() {
    return conv;
  }

  /** The memory update's state: M, S and the reference memory, each (B, H, P, P). */
  public MemoryScan.State scan() {
    return new MemoryScan.State(memory, surprise, reference);
  }

  /** The memory M (B, H, d_v, d_k) after the tokens seen so far. */
  public Tensor memory() {
    return memory;
  }

  /** Replaces the tensors after {@code tokens} more tokens. */
  void advance(Tensor nextConv, MemoryScan.State next, long tokens) {
    Tensor[] fresh = {nextConv, next.memory(), next.surprise(), next.reference()};
    for (Tensor t : fresh) if (t != null) Ops.retain(t);
    close();
    conv = nextConv;
    memory = next.memory();
    surprise = next.surprise();
    reference = next.reference();
    position += tokens;
  }

  @Override
  public void reorder(Tensor indices) {
    if (conv != null) Ops.reorderRows(conv, indices);
    Ops.reorderRows(memory, indices);
    Ops.reorderRows(surprise, indices);
    Ops.reorderRows(reference, indices);
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long bytes() {
    long n =
        memory.numel() * memory.element_size()
            + surprise.numel() * surprise.element_size()
            + reference.numel() * reference.element_size();
    return conv == null ? n : n + conv.numel() * conv.element_size();
  }

  @Override
  public void close() {
    Ops.release(conv);
    Ops.release(memory);
    Ops.release(surprise);
    Ops.release(reference);
    conv = null;
    memory = null;
    surprise = null;
    reference = null;
  }
}
