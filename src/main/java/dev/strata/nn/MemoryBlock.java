package dev.strata.nn;

/**
 * A residual test-time memory block (Titans' long-term memory as a layer, Behrouz et al. 2024):
 * {@code x + mixer(RMSNorm(x))}, like {@link Mamba2Block}. Decoding carries a constant-size {@link
 * MemoryState} and applies the same chunk boundaries as the training form, so it equals the full
 * forward. Optional residual dropout on the mixer's output while training.
 */
public final class MemoryBlock extends ResidualBlock<MemoryMixer, MemoryState> {
  public final MemoryConfig config;

  public MemoryBlock(MemoryConfig config) {
    this(config, 0);
  }

  public MemoryBlock(MemoryConfig config, double dropout) {
    super(config.dModel(), new MemoryMixer(config), dropout);
    this.config = config;
  }

  /** Floats in this layer's memory, H·d_v·d_k. */
  public long memoryFloats() {
    return config.memoryFloats();
  }
}
