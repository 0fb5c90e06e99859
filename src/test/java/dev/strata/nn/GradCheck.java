package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;

/**
 * Finite-difference gradient check in float64: compares autograd's gradient of a scalar function
 * with central differences {@code (f(x+h) − f(x−h)) / 2h} at sampled elements.
 */
public final class GradCheck {
  private GradCheck() {}

  /**
   * @param loss recomputes the scalar loss from the current values of {@code leaves}
   * @param leaves float64 tensors that require grad (inputs or parameters)
   * @param samples how many elements of each leaf to perturb (spread evenly)
   */
  public static void check(Supplier<Tensor> loss, List<Tensor> leaves, int samples, double tol) {
    try (PointerScope scope = new PointerScope()) {
      for (Tensor leaf : leaves) {
        assertThat(Ops.dtype(leaf)).as("gradient checks run in float64").isEqualTo(DType.FLOAT64);
        Ops.clearGrad(leaf);
      }
      loss.get().backward();
      for (int li = 0; li < leaves.size(); li++) {
        Tensor leaf = leaves.get(li);
        Tensor g = Ops.grad(leaf);
        double[] analytic = g == null ? new double[(int) leaf.numel()] : Ops.doubles(g);
        Tensor flat = leaf.detach().view(-1); // shares storage with the leaf
        long n = flat.numel();
        int count = (int) Math.min(samples, n);
        double maxErr = 0;
        double maxAbs = 0;
        for (int s = 0; s < count; s++) {
          long i = count == n ? s : (s * 7919L) % n;
          double numeric;
          try (var ng = Ops.noGrad()) {
            Tensor el = flat.narrow(0, i, 1);
            double orig = Ops.item(el);
            double h = 1e-6 * Math.max(1.0, Math.abs(orig));
            Ops.fillInPlace(el, orig + h);
            double fp = Ops.item(loss.get());
            Ops.fillInPlace(el, orig - h);
            double fm = Ops.item(loss.get());
            Ops.fillInPlace(el, orig);
            numeric = (fp - fm) / (2 * h);
          }
          double err = Math.abs(numeric - analytic[(int) i]) / Math.max(1.0, Math.abs(numeric));
          maxErr = Math.max(maxErr, err);
          maxAbs = Math.max(maxAbs, Math.abs(numeric));
        }
        assertThat(maxErr).as("leaf %d: relative gradient error", li).isLessThan(tol);
        assertThat(maxAbs).as("leaf %d: gradient is not identically zero", li).isGreaterThan(0.0);
      }
    }
  }

  /** A fixed random projection so the loss depends on every output element differently. */
  public static Tensor weightedSum(Tensor out, Tensor weights) {
    return out.mul(weights).sum();
  }
}
