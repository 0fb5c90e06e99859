package dev.strata.world;

import dev.strata.nn.Tensor;

/**
 * A planning problem in latent space: reach the goal embedding from the current one. A candidate is
 * a plan of {@code horizon} z-scored action chunks, flattened to {@code horizon·chunkDim} floats.
 *
 * @param start the current embedding (1, D)
 * @param goal the goal embedding (1, D)
 */
public record PlanProblem(Tensor start, Tensor goal, int horizon, int chunkDim) {
  public int planDim() {
    return horizon * chunkDim;
  }
}
