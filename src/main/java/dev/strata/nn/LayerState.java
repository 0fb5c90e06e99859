package dev.strata.nn;

/**
 * Decode state of one {@link SequenceLayer} (a KV cache, an SSM state). It holds retained
 * native tensors across step scopes; {@link #close()} releases them.
 */
public interface LayerState extends AutoCloseable {
  /** Tokens seen so far. */
  long position();

  /** Bytes of tensor memory the state holds now (KV caches grow; SSM states do not). */
  long bytes();

  @Override
  void close();
}
