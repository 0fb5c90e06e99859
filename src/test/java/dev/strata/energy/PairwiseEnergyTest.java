package dev.strata.energy;

import static dev.strata.nn.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.DType;
import dev.strata.nn.GradCheck;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairwiseEnergyTest {
  static final PairwiseEnergyConfig SMALL =
      new PairwiseEnergyConfig(3, 4, 5); // 5 sites, values 1..3, problem ids 0..2

  /** A net with random weights (they start at zero, which would make every check trivial). */
  static PairwiseEnergyNet randomNet(long seed, DType dtype) {
    Ops.seed(seed);
    PairwiseEnergyNet net = new PairwiseEnergyNet(SMALL);
    net.to(dtype);
    try (var g = noGrad()) {
      for (Tensor p : net.parameters()) setData(p, to(randn(shape(p)), dtype));
    }
    return net;
  }

  static long[][] randomStreams(int rows, SplittableRandom rng) {
    long[] x = new long[rows * 5];
    long[] y = new long[rows * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(3);
      y[i] = rng.nextInt(4); // 0 = open: partial assignments too
    }
    return new long[][] {x, y};
  }

  @Test
  void forwardAndTheJavaTablesGiveTheSameEnergyOnPartialAssignments() {
    try (Scope s = Ops.scope()) {
      PairwiseEnergyNet net = randomNet(3, DType.FLOAT32);
      long[][] xy = randomStreams(6, new SplittableRandom(1));
      float[] e = floats(net.forward(tensor(xy[0], 6, 5), tensor(xy[1], 6, 5)));
      PairwiseTables tables = net.tables();
      for (int r = 0; r < 6; r++) {
        long[] x = java.util.Arrays.copyOfRange(xy[0], r * 5, r * 5 + 5);
        int[] y = new int[5];
        for (int i = 0; i < 5; i++) y[i] = (int) xy[1][r * 5 + i];
        assertThat(tables.energy(x, y)).isCloseTo(e[r], within(1e-4));
      }
      // the table is symmetric and zero within a site
      assertThat(tables.pair(1, 2, 3, 1)).isEqualTo(tables.pair(3, 1, 1, 2));
      assertThat(tables.pair(2, 1, 2, 3)).isZero();
    }
  }

  @Test
  void anOpenSiteContributesNothing() {
    try (Scope s = Ops.scope()) {
      PairwiseEnergyNet net = randomNet(4, DType.FLOAT32);
      long[] x = {0, 1, 2, 0, 1};
      float[] e =
          floats(
              net.forward(
                  tensor(new long[] {0, 1, 2, 0, 1, 0, 1, 2, 0, 1}, 2, 5),
                  tensor(new long[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0}, 2, 5)));
      assertThat(e[0]).isZero();
      assertThat(e[1]).isCloseTo(net.tables().unary(0, 0, 2), within(1e-6f));
      assertThat(x).hasSize(5);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesInFloat64() {
    try (Scope s = Ops.scope()) {
      PairwiseEnergyNet net = randomNet(5, DType.FLOAT64);
      long[][] xy = randomStreams(4, new SplittableRandom(2));
      Tensor x = tensor(xy[0], 4, 5);
      Tensor y = tensor(xy[1], 4, 5);
      Tensor w = to(tensor(new float[] {0.3f, -1.1f, 0.7f, 2.0f}, 4), DType.FLOAT64);
      GradCheck.check(() -> net.forward(x, y).mul(w).sum(), net.parameters(), 40, 1e-6);
    }
  }

  @Test
  void energyDiscrepancyIsLogOfWPlusTheSumOfExponentiatedGaps() {
    Tensor data = tensor(new float[] {0f, 1f}, 2);
    Tensor pert = tensor(new float[] {1f, 2f, 0f, 3f}, 2, 2);
    double l0 = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    double l1 = Math.log(1 + Math.exp(1) + Math.exp(-2));
    assertThat(item(EnergyDiscrepancy.loss(data, pert, 1.0)))
        .isCloseTo((l0 + l1) / 2, within(1e-5));
    assertThatThrownBy(() -> EnergyDiscrepancy.loss(data, pert, 0))
        .hasMessageContaining("must be positive");
  }

  @Test
  void badShapesAndTokensAreRejected() {
    PairwiseEnergyNet net = new PairwiseEnergyNet(SMALL);
    assertThatThrownBy(() -> net.forward(zeros(DType.INT64, 1, 4), zeros(DType.INT64, 1, 4)))
        .hasMessageContaining("5 sites");
    assertThatThrownBy(() -> net.forward(zeros(DType.INT64, 1, 5), full(DType.INT64, 4, 1, 5)))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> new PairwiseEnergyConfig(3, 1, 5))
        .hasMessageContaining("candidate vocabulary");
  }

  @Test
  void weightedSumAddsWeightedPartsAndNamesThemInTheBreakdown() {
    Energy<String, String> length =
        (p, xs) -> {
          float[] e = new float[xs.size()];
          for (int i = 0; i < e.length; i++) e[i] = xs.get(i).length();
          return e;
        };
    Energy<String, String> vowels =
        (p, xs) -> {
          float[] e = new float[xs.size()];
          for (int i = 0; i < e.length; i++) e[i] = xs.get(i).replaceAll("[^aeiou]", "").length();
          return e;
        };
    WeightedSum<String, String> sum = WeightedSum.of("length", 1.0, length, "vowels", -2.0, vowels);
    assertThat(sum.energies("", List.of("abc", "eee"))).containsExactly(1f, -3f);
    Breakdown b = sum.explain("", "abc");
    assertThat(b.total()).isEqualTo(1f);
    assertThat(b.terms()).containsEntry("length", 3f).containsEntry("vowels ×-2.0", 1f);
    assertThatThrownBy(() -> new WeightedSum<String, String>(List.of()))
        .hasMessageContaining("at least one");
  }
}
