package dev.strata.nn;

import org.bytedeco.pytorch.Tensor;

import static dev.strata.nn.Ops.dropout;

/**
 * A residual Mamba-3 block (Lahoti et al. 2026): {@code x + mixer(RMSNorm(x))}. Names follow
 * {@code mamba_ssm}'s {@code Block}: {@code norm.*} and {@code mixer.*}. Decoding carries a
 * constant-size {@link Mamba3State} instead of a growing cache. Optional residual dropout on the
 * mixer's output while training (as GPT-2 applies it to each block's branch).
 */
public final class Mamba3Block extends Module implements SequenceLayer {
  public final Mamba3Config config;
  public final RMSNorm norm;
  public final Mamba3Mixer mixer;
  private final double dropout;

  public Mamba3Block(Mamba3Config config) {
    this(config, 0);
  }

  public Mamba3Block(Mamba3Config config, double dropout) {
    if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    this.config = config;
    this.dropout = dropout;
    this.norm = child("norm", new RMSNorm(config.dModel(), 1e-5));
    this.mixer = child("mixer", new Mamba3Mixer(config));
  }

  /** (B, T, D) → (B, T, D), the chunked scan over the whole sequence. */
  @Override
  public Tensor forward(Tensor x) {
    return x.add(dropout(mixer.forward(norm.forward(x), null), dropout, isTraining()));
  }

  /** A zero state; its size is independent of {@code maxLen}. */
  @Override
  public Mamba3State newState(long batch, long maxLen) {
    return mixer.newState(batch);
  }

  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!(state instanceof Mamba3State s)) {
      throw new IllegalArgumentException("Mamba3Block needs a Mamba3State, got " + (state == null ? "null" : state.getClass().getSimpleName()));
    }
    return x.add(mixer.forward(norm.forward(x), s));
  }
}
