package dev.strata.nn;

/**
 * Decode state of one {@link SequenceLayer} (a KV cache, an SSM state). It holds retained native
 * tensors across step scopes; {@link #close()} releases them.
 */
public interface LayerState extends AutoCloseable {
  /** Tokens seen so far. */
  long position();

  /** Bytes of tensor memory the state holds now (KV caches grow; SSM states do not). */
  long bytes();

  /**
   * Keeps, for each row {@code i} of the batch, the state of row {@code indices[i]} (int64 (B)) —
   * what beam search does when it picks which prefixes survive.
   */
  void reorder(Tensor indices);

  @Override
  void close();
}
