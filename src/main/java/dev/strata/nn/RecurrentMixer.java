package dev.strata.nn;

/**
 * The sequence mixer of a {@link ResidualBlock} with a constant-size recurrent state (Mamba-2,
 * Mamba-3, test-time memory): a whole-sequence form (state null) and a continuation from a state.
 *
 * @param <S> its decode state
 */
public interface RecurrentMixer<S extends LayerState> {
  /** (B, T, D) → (B, T, D); with a state, continues from it and advances it. */
  Tensor forward(Tensor u, S state);

  /** A zero state for {@code batch} sequences. */
  S newState(long batch);

  /** The state's class, for a clear error when another layer's state is passed in. */
  Class<S> stateType();
}
