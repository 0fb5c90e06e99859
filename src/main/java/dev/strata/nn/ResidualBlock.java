package dev.strata.nn;

import static dev.strata.nn.Ops.dropout;

/**
 * The pre-norm residual block of the recurrent layers, {@code x + dropout(mixer(RMSNorm(x)))} —
 * mamba_ssm's {@code Block}, whose parameter names ({@code norm.*}, {@code mixer.*}) it keeps.
 * Decoding carries the mixer's constant-size state instead of a growing cache. The residual dropout
 * on the mixer's output acts only while training (as GPT-2 applies it to each block's branch).
 *
 * @param <M> the mixer
 * @param <S> its decode state
 */
public abstract class ResidualBlock<M extends Module & RecurrentMixer<S>, S extends LayerState>
    extends Module implements SequenceLayer {
  public final RMSNorm norm;
  public final M mixer;
  private final double dropout;

  protected ResidualBlock(int dModel, M mixer, double dropout) {
    if (dropout < 0 || dropout >= 1)
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    this.dropout = dropout;
    this.norm = child("norm", new RMSNorm(dModel, 1e-5));
    this.mixer = child("mixer", mixer);
  }

  /** (B, T, D) → (B, T, D), the mixer's whole-sequence (chunked) form. */
  @Override
  public Tensor forward(Tensor x) {
    return x.add(dropout(mixer.forward(norm.forward(x), null), dropout, isTraining()));
  }

  /** A zero state; its size is independent of {@code maxLen}. */
  @Override
  public S newState(long batch, long maxLen) {
    return mixer.newState(batch);
  }

  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!mixer.stateType().isInstance(state)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + " needs a "
              + mixer.stateType().getSimpleName()
              + ", got "
              + (state == null ? "null" : state.getClass().getSimpleName()));
    }
    return x.add(mixer.forward(norm.forward(x), mixer.stateType().cast(state)));
  }
}
