package dev.strata.world;

/**
 * An environment with a continuous state and action, observed through rendered images (Strata's
 * GROUND layer puts energies on it). Observations are rendered on demand ({@link #render}), since
 * rendering is the cost and many uses (data collection, success checks) need only the state.
 */
public interface Env {
  /** What one {@link #step} did: the new state and whether the episode ended. */
  record Step(double[] state, boolean done) {}

  int stateDim();

  int actionDim();

  /** Starts an episode drawn from {@code seed}; returns its initial state. */
  double[] reset(long seed);

  /** Applies one action (clipped to the action box) and returns the new state. */
  Step step(double[] action);

  /** The current state (a copy). */
  double[] state();

  /**
   * The current observation: an RGB image of {@code size}² pixels as float CHW {@code (3, size,
   * size)} values in [0, 255] (before normalisation), written into {@code out} at {@code offset}.
   */
  void render(int size, float[] out, int offset);
}
