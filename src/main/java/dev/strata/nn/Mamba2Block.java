package dev.strata.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A residual Mamba-2 block (Dao &amp; Gu 2024): {@code x + mixer(RMSNorm(x))}. Names follow
 * {@code mamba_ssm}'s {@code Block}: {@code norm.*} and {@code mixer.*}. Decoding carries a
 * constant-size {@link Mamba2State} instead of a growing cache.
 */
public final class Mamba2Block extends Module implements SequenceLayer {
  public final Mamba2Config config;
  public final RMSNorm norm;
  public final Mamba2Mixer mixer;

  public Mamba2Block(Mamba2Config config) {
    this.config = config;
    this.norm = child("norm", new RMSNorm(config.dModel(), 1e-5));
    this.mixer = child("mixer", new Mamba2Mixer(config));
  }

  /** (B, T, D) → (B, T, D), the chunked SSD over the whole sequence. */
  @Override
  public Tensor forward(Tensor x) {
    return x.add(mixer.forward(norm.forward(x), null));
  }

  /** A zero state; its size is independent of {@code maxLen}. */
  @Override
  public Mamba2State newState(long batch, long maxLen) {
    return mixer.newState(batch);
  }

  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!(state instanceof Mamba2State s)) {
      throw new IllegalArgumentException("Mamba2Block needs a Mamba2State, got " + (state == null ? "null" : state.getClass().getSimpleName()));
    }
    return x.add(mixer.forward(norm.forward(x), s));
  }
}
