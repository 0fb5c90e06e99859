package dev.strata.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.DType;
import dev.strata.nn.Golden;
import dev.strata.nn.GradCheck;
import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.train.AdamW;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.TrainConfig;
import dev.strata.train.Trainer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SigRegTest {
  @BeforeEach
  void seed() {
    Ops.seed(7);
  }

  /** The golden script's directions: det values normalised per column. */
  private static Tensor directions(long d, long m) {
    Tensor u = Golden.det(0.3, 1.0, d, m);
    return u.div(Ops.sum(Ops.pow(u, 2), true, 0).sqrt());
  }

  @Test
  void knotsAndWeightsFollowTheSpec() {
    double[] t = SigReg.knots();
    double[] w = SigReg.weights();
    assertThat(t).hasSize(17);
    assertThat(t[0]).isEqualTo(0.0);
    assertThat(t[16]).isEqualTo(3.0);
    double delta = 3.0 / 16;
    assertThat(w[0]).isCloseTo(delta, within(1e-15));
    assertThat(w[8]).isCloseTo(2 * delta * Math.exp(-t[8] * t[8] / 2), within(1e-15));
    assertThat(w[16]).isCloseTo(delta * Math.exp(-4.5), within(1e-15));
  }

  @Test
  void matchesPyTorch() {
    try (Scope s = Ops.scope()) {
      for (var c : List.of(new long[] {16, 8}, new long[] {12, 3, 8})) {
        String name = c.length == 2 ? "flat" : "seq";
        Tensor z = Ops.requireGrad(Golden.det(1.1, 1.5, c));
        Tensor loss = SigReg.loss(z, directions(8, 32));
        Golden.assertMatches("sigreg." + name + ".loss", loss, 1e-5);
        loss.backward();
        Golden.assertMatches("sigreg." + name + ".grad", Ops.grad(z), 1e-5);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesInFloat64() {
    try (Scope s = Ops.scope()) {
      Tensor z = Ops.requireGrad(Ops.randn(DType.FLOAT64, 10, 2, 6));
      Tensor u = Ops.to(directions(6, 16), DType.FLOAT64);
      GradCheck.check(() -> SigReg.loss(z, u), List.of(z), 30, 1e-6);
    }
  }

  @Test
  void gaussianScoresLowCollapseHighAndDirectionsAreFresh() {
    try (Scope s = Ops.scope()) {
      SigReg sigreg = new SigReg(256);
      double gaussian = Ops.item(sigreg.loss(Ops.randn(512, 16)));
      double collapsed = Ops.item(sigreg.loss(Ops.add(Ops.mul(Ops.randn(512, 16), 0.01), 0.5)));
      assertThat(gaussian).isLessThan(2.0);
      assertThat(collapsed).isGreaterThan(50 * gaussian);
      Tensor z = Ops.mul(Ops.randn(64, 16), 2.0);
      assertThat(Ops.item(sigreg.loss(z)))
          .as("a fresh draw of directions each call")
          .isNotEqualTo(Ops.item(sigreg.loss(z)));
    }
  }

  /**
   * A tiny JEPA: encoder x → z, predictor (z, a) → ẑ', trained on next-embedding MSE (+ λ·SIGReg).
   */
  private static final class TinyJepa extends Module {
    final Linear enc1 = child("enc1", new Linear(8, 32));
    final Linear enc2 = child("enc2", new Linear(32, 4));
    final Linear pred = child("pred", new Linear(6, 4));

    Tensor encode(Tensor x) { // (N, 8) → (N, 4)
      return enc2.forward(Ops.gelu(enc1.forward(x)));
    }
  }

  /**
   * Variance per embedding dimension (averaged) before and after training with weight λ on SIGReg.
   */
  private static double[] variances(double lambda) {
    Ops.seed(3);
    TinyJepa m = new TinyJepa();
    Tensor x = Ops.retain(Ops.randn(256, 8)); // observations
    Tensor a = Ops.retain(Ops.randn(256, 2)); // actions
    Tensor mix = Ops.retain(Ops.mul(Ops.randn(8, 8), 0.3));
    // x' = x·A + f(a) + noise: the noise is unpredictable, so the prediction loss alone is best
    // served by collapse
    Tensor next = Ops.retain(x.matmul(mix).add(Ops.cat(1, a, a, a, a)).add(Ops.randn(256, 8)));
    SigReg sigreg = new SigReg(64);
    double before = variance(m, x);
    try (AdamW opt = new AdamW(ParamGroup.standard(m, 0.0), 1e-2)) {
      new Trainer(
              m,
              opt,
              LrSchedule.warmupCosine(1e-2, 1e-2, 1, 300),
              TrainConfig.of(300).withProgressBar(false).withHandleInterrupt(false),
              step -> {
                Tensor z = m.encode(x); // (N, 4)
                Tensor zNext = m.encode(next);
                Tensor pred = m.pred.forward(Ops.cat(1, z, a));
                Tensor loss = Ops.mean(Ops.pow(pred.sub(zNext), 2), false);
                return lambda == 0
                    ? loss
                    : loss.add(Ops.mul(sigreg.loss(Ops.stack(1, z, zNext)), lambda));
              })
          .run();
    }
    return new double[] {before, variance(m, x)};
  }

  private static double variance(TinyJepa m, Tensor x) {
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      Tensor z = m.encode(x);
      return Ops.item(Ops.mean(Ops.pow(z.sub(Ops.mean(z, true, 0)), 2), false));
    }
  }

  @Test
  void withoutSigRegEmbeddingsCollapseWithItTheyDoNot() {
    int threads = Ops.threads();
    Ops.setThreads(1); // tiny ops: one thread avoids OpenMP barriers on a busy machine
    double[] collapsed = variances(0.0);
    double[] regularised = variances(0.5);
    assertThat(collapsed[1])
        .as("variance with λ = 0, from %f at init", collapsed[0])
        .isLessThan(1e-3)
        .isLessThan(collapsed[0] / 20);
    assertThat(regularised[1])
        .as("variance with SIGReg, from %f at init", regularised[0])
        .isGreaterThan(0.5);
    Ops.setThreads(threads);
  }
}
