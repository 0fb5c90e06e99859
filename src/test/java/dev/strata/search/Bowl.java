package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The continuous test problem the sampling planners share: a quadratic bowl and a Gaussian prior.
 */
final class Bowl {
  private Bowl() {}

  /** The problem is the minimiser itself; candidates have its length. */
  static final float[] CENTRE = {1f, -0.5f, 0.25f, 1.5f};

  /** N(0, 1) per coordinate: CEM's prior. */
  static final Proposer<float[], float[]> GAUSSIAN =
      new Proposer<>() {
        @Override
        public List<float[]> propose(float[] centre, int n, RandomSource rng) {
          List<float[]> out = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            float[] x = new float[centre.length];
            for (int j = 0; j < x.length; j++) x[j] = (float) rng.nextGaussian();
            out.add(x);
          }
          return out;
        }

        @Override
        public List<float[]> complete(float[] centre, float[] partial, int n, RandomSource rng) {
          return propose(centre, n, rng);
        }
      };

  /** A quadratic bowl, Σ (j + 1)(x_j − c_j)², with unequal curvatures; its minimum is 0 at c. */
  static final Energy<float[], float[]> ENERGY =
      (centre, xs) -> {
        float[] e = new float[xs.size()];
        for (int i = 0; i < e.length; i++) {
          double s = 0;
          for (int j = 0; j < centre.length; j++)
            s += (j + 1) * Math.pow(xs.get(i)[j] - centre[j], 2);
          e[i] = (float) s;
        }
        return e;
      };
}
