package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossEntropyMethodTest {

  /** The problem is the minimiser itself; candidates have its length. */
  private static final float[] CENTRE = {1f, -0.5f, 0.25f, 1.5f};

  /** N(0, 1) per coordinate: CEM's prior. */
  private static final Proposer<float[], float[]> GAUSSIAN =
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
  private static final Energy<float[], float[]> BOWL =
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

  private static CrossEntropyMethod<float[]> cem(long seed) {
    return new CrossEntropyMethod<>(100, 10, 25, seed, c -> c.length);
  }

  @Test
  void findsTheMinimumOfAQuadratic() {
    CrossEntropyMethod<float[]> cem = cem(5);
    Outcome<float[]> o = cem.run(CENTRE, GAUSSIAN, BOWL, cem.fullBudget());
    assertThat(o.proposals()).isEqualTo(2500);
    assertThat(o.trace()).hasSize(25);
    assertThat(o.energy()).isLessThan(0.05f);
    assertThat(o.trace()[24]).isLessThan(o.trace()[0] / 100);
    for (int j = 0; j < CENTRE.length; j++)
      assertThat(o.best()[j]).isCloseTo(CENTRE[j], within(0.1f));
  }

  @Test
  void sameSeedSameResultAndTheThresholdStopsIt() {
    assertThat(cem(7).run(CENTRE, GAUSSIAN, BOWL, cem(7).fullBudget()).best())
        .containsExactly(cem(7).run(CENTRE, GAUSSIAN, BOWL, cem(7).fullBudget()).best());
    Outcome<float[]> early = cem(7).run(CENTRE, GAUSSIAN, BOWL, Budget.proposals(2500, 0.5));
    assertThat(early.stop()).isEqualTo(Outcome.StopReason.ACCEPTED);
    assertThat(early.energy()).isLessThanOrEqualTo(0.5f);
    assertThat(early.proposals()).isLessThan(2500);
  }

  @Test
  void rejectsMoreElitesThanSamples() {
    assertThatThrownBy(() -> new CrossEntropyMethod<float[]>(10, 11, 5, 0, c -> c.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("elites");
  }
}
