package dev.strata.world;

import dev.strata.energy.Energy;
import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.List;

/**
 * The world model's goal energy (layer 2 grounded by layer 4): the squared distance between the
 * latent the predictor reaches after a plan's action chunks and the goal latent, E(a) = ‖pred(z₀,
 * a₁…a_H) − z_goal‖². Batched: all candidates roll out together, one predictor call per horizon
 * step.
 */
public final class LatentGoalEnergy implements Energy<PlanProblem, float[]> {
  private final WorldModel model;

  public LatentGoalEnergy(WorldModel model) {
    this.model = model;
  }

  @Override
  public float[] energies(PlanProblem p, List<float[]> candidates) {
    int n = candidates.size(), dim = p.planDim();
    float[] flat = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(candidates.get(i), 0, flat, i * dim, dim);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      DType dt =
          model.predictor.dtype(); // float32, or bfloat16 when planning runs in reduced precision
      Tensor plans =
          Ops.to(Ops.tensor(flat, n, p.horizon(), p.chunkDim()), dt); // (N, H, k) z-scored chunks
      Tensor z0 = Ops.to(p.start(), dt).expand(n, p.start().size(1)); // (N, D)
      Tensor reached =
          Ops.to(model.rollout(z0, plans), DType.FLOAT32); // (N, D); distances in float32
      return Ops.floats(Ops.sum(Ops.pow(reached.sub(p.goal()), 2), false, 1)); // (N)
    }
  }
}
