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

/** MPPI and iCEM: their updates as the papers write them, and both find a bowl's minimum. */
class SamplingPlannersTest {

  /** Records every population the energy scores (then scores it as the bowl does). */
  static final class Recording implements Energy<float[], float[]> {
    final List<List<float[]>> calls = new ArrayList<>();
    final Energy<float[], float[]> inner;

    Recording(Energy<float[], float[]> inner) {
      this.inner = inner;
    }

    @Override
    public float[] energies(float[] problem, List<float[]> xs) {
      if (xs.size() == 1) return inner.energies(problem, xs); // the outcome's explain()
      List<float[]> copy = new ArrayList<>();
      for (float[] x : xs) copy.add(x.clone());
      calls.add(copy);
      return inner.energies(problem, xs);
    }
  }

  @Test
  void mppiMovesTheMeanToTheSoftminWeightedAverage() {
    // One coordinate, E(x) = x; the prior proposes {·, 2} and candidate 0 becomes the mean 0.
    Proposer<float[], float[]> fixed =
        new Proposer<>() {
          @Override
          public List<float[]> propose(float[] p, int n, RandomSource rng) {
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(new float[] {2f});
            return out;
          }

          @Override
          public List<float[]> complete(float[] p, float[] partial, int n, RandomSource rng) {
            return propose(p, n, rng);
          }
        };
    Recording energy =
        new Recording(
            (p, xs) -> {
              float[] e = new float[xs.size()];
              for (int i = 0; i < e.length; i++) e[i] = xs.get(i)[0];
              return e;
            });
    double lambda = 0.7;
    Mppi<float[]> mppi = new Mppi<>(2, 2, lambda, 1.0, 3, p -> 1);
    mppi.run(new float[1], fixed, energy, mppi.fullBudget());
    double w = Math.exp(-2 / lambda); // weight of x = 2 against x = 0 (whose weight is 1)
    double expected = w * 2 / (1 + w);
    assertThat(energy.calls.get(0).get(0)[0]).isEqualTo(0f);
    assertThat(energy.calls.get(1).get(0)[0]).isCloseTo((float) expected, within(1e-6f));
  }

  @Test
  void mppiFindsTheMinimumOfAQuadraticAndBeatsThePriorAtEqualEvaluations() {
    Mppi<float[]> mppi = new Mppi<>(100, 25, 0.5, 0.3, 5, c -> c.length);
    Outcome<float[]> o = mppi.run(Bowl.CENTRE, Bowl.GAUSSIAN, Bowl.ENERGY, mppi.fullBudget());
    assertThat(o.proposals()).isEqualTo(2500);
    Outcome<float[]> prior =
        new BestOfN<float[], float[]>(100, 5)
            .run(Bowl.CENTRE, Bowl.GAUSSIAN, Bowl.ENERGY, mppi.fullBudget());
    assertThat(o.energy()).isLessThan(0.05f).isLessThan(prior.energy() / 10);
    for (int j = 0; j < Bowl.CENTRE.length; j++)
      assertThat(o.best()[j]).isCloseTo(Bowl.CENTRE[j], within(0.15f));
  }

  @Test
  void icemShrinksItsPopulationAndKeepsItsElites() {
    ImprovedCrossEntropyMethod<float[]> icem =
        new ImprovedCrossEntropyMethod<>(64, 8, 6, 2.0, 0.5, 1.5, 2, 1, c -> c.length);
    Recording energy = new Recording(Bowl.ENERGY);
    float[] centre = {1f, -0.5f, 0.25f, 1.5f, 0.5f, -1f}; // 3 steps × 2 action values
    Outcome<float[]> o = icem.run(centre, Bowl.GAUSSIAN, energy, icem.fullBudget());
    int[] sizes = energy.calls.stream().mapToInt(List::size).toArray();
    // max(⌊64·1.5^(−i)⌋, 16) new samples, plus ⌊0.5·8⌋ = 4 kept elites after the first iteration
    assertThat(sizes).containsExactly(64, 42 + 4, 28 + 4, 18 + 4, 16 + 4, 16 + 4);
    assertThat(o.proposals()).isEqualTo(icem.fullBudget().proposals());
    // the kept elites are in the next population, so its best is never worse than the last one's
    float previousBest = Float.POSITIVE_INFINITY;
    for (List<float[]> population : energy.calls) {
      float best = Float.POSITIVE_INFINITY;
      for (float e : Bowl.ENERGY.energies(centre, population)) best = Math.min(best, e);
      assertThat(best).isLessThanOrEqualTo(previousBest);
      previousBest = best;
    }
  }

  @Test
  void icemFindsTheMinimumOfAQuadratic() {
    ImprovedCrossEntropyMethod<float[]> icem =
        new ImprovedCrossEntropyMethod<>(100, 10, 25, 2.0, 0.3, 1.25, 2, 5, c -> c.length);
    Outcome<float[]> o = icem.run(Bowl.CENTRE, Bowl.GAUSSIAN, Bowl.ENERGY, icem.fullBudget());
    assertThat(o.energy()).isLessThan(0.05f);
    for (int j = 0; j < Bowl.CENTRE.length; j++)
      assertThat(o.best()[j]).isCloseTo(Bowl.CENTRE[j], within(0.1f));
  }

  @Test
  void coloredNoiseHasUnitVarianceAndItsExponentSetsTheCorrelationOfNeighbours() {
    double[] white = lagStatistics(0.0);
    double[] red = lagStatistics(2.0);
    assertThat(white[0]).isCloseTo(1.0, within(0.05));
    assertThat(red[0]).isCloseTo(1.0, within(0.05));
    assertThat(white[1]).isCloseTo(0.0, within(0.05));
    assertThat(red[1]).isGreaterThan(0.5);
  }

  /** {variance per step, lag-1 correlation} over many 25-step series of 2 channels. */
  private static double[] lagStatistics(double beta) {
    ColoredNoise noise = new ColoredNoise(beta, 25);
    RandomSource rng = new RandomSource(11);
    float[] x = new float[50];
    double sq = 0, lag = 0;
    long n = 0, pairs = 0;
    for (int s = 0; s < 4000; s++) {
      noise.sample(rng, x, 2);
      for (int c = 0; c < 2; c++) {
        for (int t = 0; t < 25; t++) {
          sq += x[t * 2 + c] * x[t * 2 + c];
          n++;
          if (t > 0) {
            lag += x[t * 2 + c] * x[(t - 1) * 2 + c];
            pairs++;
          }
        }
      }
    }
    return new double[] {sq / n, (lag / pairs) / (sq / n)};
  }

  @Test
  void refusesImpossibleSettings() {
    assertThatThrownBy(() -> new Mppi<float[]>(10, 5, 0, 1, 0, c -> c.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature");
    assertThatThrownBy(
            () ->
                new ImprovedCrossEntropyMethod<float[]>(10, 4, 5, 2, 0.3, 0.9, 2, 0, c -> c.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decay");
    ImprovedCrossEntropyMethod<float[]> icem =
        new ImprovedCrossEntropyMethod<>(10, 4, 5, 2, 0.3, 1.25, 3, 0, c -> c.length);
    assertThatThrownBy(() -> icem.run(Bowl.CENTRE, Bowl.GAUSSIAN, Bowl.ENERGY, icem.fullBudget()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole steps");
  }
}
