package dev.strata.nn;

import static dev.strata.nn.Ops.dropout;

import org.bytedeco.pytorch.Tensor;

/**
 * A residual test-time memory block (Titans' long-term memory as a layer, Behrouz et al. 2024):
 * {@code x + mixer(RMSNorm(x))}, like {@link Mamba2Block}. Decoding carries a constant-size
 * {@link MemoryState} and applies the same chunk boundaries as the training form, so it equals
 * the full forward. Optional residual dropout on the mixer's output while training.
 */
public final class MemoryBlock extends Module implements SequenceLayer {
  public final MemoryConfig config;
  public final RMSNorm norm;
  public final MemoryMixer mixer;
  private final double dropout;

  public MemoryBlock(MemoryConfig config) {
    this(config, 0);
  }

  public MemoryBlock(MemoryConfig config, double dropout) {
    if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    this.config = config;
    this.dropout = dropout;
    this.norm = child("norm", new RMSNorm(config.dModel(), 1e-5));
    this.mixer = child("mixer", new MemoryMixer(config));
  }

  /** (B, T, D) → (B, T, D), the chunked memory update over the whole sequence. */
  @Override
  public Tensor forward(Tensor x) {
    return x.add(dropout(mixer.forward(norm.forward(x), null), dropout, isTraining()));
  }

  /** An empty memory; its size is independent of {@code maxLen}. */
  @Override
  public MemoryState newState(long batch, long maxLen) {
    return mixer.newState(batch);
  }

  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!(state instanceof MemoryState s)) {
      throw new IllegalArgumentException("MemoryBlock needs a MemoryState, got " + (state == null ? "null" : state.getClass().getSimpleName()));
    }
    return x.add(mixer.forward(norm.forward(x), s));
  }

  /** Floats in this layer's memory, H·d_v·d_k. */
  public long memoryFloats() {
    return config.memoryFloats();
  }
}
