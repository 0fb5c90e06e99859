package dev.strata.train;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;

/**
 * Global-norm gradient clipping (Pascanu et al. 2013), as {@code torch.nn.utils.clip_grad_norm_}:
 * the L2 norm over all gradients together is ‖(‖g₁‖, …, ‖gₙ‖)‖, and when it exceeds {@code maxNorm}
 * every gradient is scaled by {@code maxNorm / (norm + 1e-6)}.
 */
public final class GradClip {
  private static final double EPS = 1e-6; // PyTorch's guard against division by a zero norm

  private GradClip() {}

  /**
   * The global L2 norm of the gradients of {@code params} (parameters without one are skipped); 0
   * if none.
   */
  public static double globalNorm(Collection<Tensor> params) {
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      List<Tensor> norms = new ArrayList<>();
      for (Tensor p : params) {
        Tensor g = Ops.grad(p);
        if (g != null) norms.add(g.norm());
      }
      // One reduction over the stacked per-parameter norms, and one read back.
      return norms.isEmpty() ? 0 : Ops.item(Ops.stack(0, norms).norm());
    }
  }

  /**
   * Scales the gradients in place so their global norm is at most {@code maxNorm}; returns the norm
   * before clipping (NaN or infinite if a gradient is, in which case nothing is scaled).
   */
  public static double clip(Collection<Tensor> params, double maxNorm) {
    if (!(maxNorm > 0))
      throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
    double norm = globalNorm(params);
    double coef = maxNorm / (norm + EPS);
    if (Double.isFinite(norm) && coef < 1) {
      try (PointerScope scope = new PointerScope();
          var noGrad = Ops.noGrad()) {
        for (Tensor p : params) {
          Tensor g = Ops.grad(p);
          if (g != null) Ops.mulInPlace(g, coef);
        }
      }
    }
    return norm;
  }
}
