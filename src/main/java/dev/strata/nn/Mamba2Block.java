package dev.strata.nn;

/**
 * A residual Mamba-2 block (Dao &amp; Gu 2024): {@code x + mixer(RMSNorm(x))}. Names follow {@code
 * mamba_ssm}'s {@code Block}: {@code norm.*} and {@code mixer.*}. Decoding carries a constant-size
 * {@link Mamba2State} instead of a growing cache. Optional residual dropout on the mixer's output
 * while training (as GPT-2 applies it to each block's branch).
 */
public final class Mamba2Block extends ResidualBlock<Mamba2Mixer, Mamba2State> {
  public final Mamba2Config config;

  public Mamba2Block(Mamba2Config config) {
    this(config, 0);
  }

  public Mamba2Block(Mamba2Config config, double dropout) {
    super(config.dModel(), new Mamba2Mixer(config), dropout);
    this.config = config;
  }
}
