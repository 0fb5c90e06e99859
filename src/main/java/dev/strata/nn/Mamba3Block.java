package dev.strata.nn;

/**
 * A residual Mamba-3 block (Lahoti et al. 2026): {@code x + mixer(RMSNorm(x))}. Names follow {@code
 * mamba_ssm}'s {@code Block}: {@code norm.*} and {@code mixer.*}. Decoding carries a constant-size
 * {@link Mamba3State} instead of a growing cache. Optional residual dropout on the mixer's output
 * while training (as GPT-2 applies it to each block's branch).
 */
public final class Mamba3Block extends ResidualBlock<Mamba3Mixer, Mamba3State> {
  public final Mamba3Config config;

  public Mamba3Block(Mamba3Config config) {
    this(config, 0);
  }

  public Mamba3Block(Mamba3Config config, double dropout) {
    super(config.dModel(), new Mamba3Mixer(config), dropout);
    this.config = config;
  }
}
