package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RLOO on a two-token toy policy π = softmax(θ), in float64: the loss's autograd gradient equals
 * the analytic policy gradient, with and without the KL term, and the clip stops the gradient of
 * samples whose ratio left the trust region.
 */
class RlooTest {
  private static final long[] SAMPLES = {0, 1, 1}; // K = 3 answers to one problem
  private static final double[] REWARDS = {1, 0, 1};

  @Test
  void leaveOneOutAdvantagesSubtractTheOthersMeanAndSumToZeroPerProblem() {
    double[] a = Rloo.advantages(new double[] {1, 0, 1, 0, 0, 0.5}, 3);
    assertThat(a).containsExactly(new double[] {0.5, -1, 0.5, -0.25, -0.25, 0.5}, within(1e-12));
    assertThat(a[0] + a[1] + a[2]).isCloseTo(0, within(1e-12));
    assertThatThrownBy(() -> Rloo.advantages(new double[] {1, 0, 1}, 2))
        .hasMessageContaining("whole groups");
    assertThatThrownBy(() -> Rloo.advantages(new double[] {1}, 1)).hasMessageContaining("≥ 2");
  }

  /** ∂L/∂θ by autograd for logits θ, the samples' old and reference log-probabilities. */
  private static double[] gradient(
      double[] theta, double[] oldLogp, double[] refLogp, double clip, double beta) {
    try (Scope s = Ops.scope()) {
      Tensor t = Ops.tensor(theta, 2).set_requires_grad(true);
      Tensor logp = Ops.logSoftmax(t, 0).index_select(0, Ops.tensor(SAMPLES, 3)); // (3,)
      Tensor loss =
          Rloo.loss(
              logp,
              Ops.tensor(oldLogp, 3),
              Ops.tensor(refLogp, 3),
              Rloo.advantages(REWARDS, 3),
              clip,
              beta);
      loss.backward();
      return Ops.doubles(Ops.grad(t));
    }
  }

  private static double[] logp(double[] theta) {
    double z = Math.log(Math.exp(theta[0]) + Math.exp(theta[1]));
    double[] out = new double[SAMPLES.length];
    for (int i = 0; i < out.length; i++) out[i] = theta[(int) SAMPLES[i]] - z;
    return out;
  }

  @Test
  void onFreshSamplesTheGradientIsTheLeaveOneOutPolicyGradient() {
    double[] theta = {0.3, -0.4};
    double[] p = {Math.exp(logp(theta)[0]), 1 - Math.exp(logp(theta)[0])};
    double[] a = Rloo.advantages(REWARDS, 3);
    // ∇θ of −(1/K) Σ A_i log π(y_i) = −(1/K) Σ A_i (e_{y_i} − p)
    double[] expected = new double[2];
    for (int i = 0; i < 3; i++)
      for (int v = 0; v < 2; v++) expected[v] -= a[i] * ((SAMPLES[i] == v ? 1 : 0) - p[v]) / 3;
    double[] g = gradient(theta, logp(theta), logp(theta), 0.2, 0);
    assertThat(g).containsExactly(expected, within(1e-12));
    assertThat(Math.abs(expected[0])).as("a gradient that can be wrong").isGreaterThan(0.05);
  }

  @Test
  void theKlTermAddsItsAnalyticGradient() {
    double[] theta = {0.3, -0.4}, ref = {-0.2, 0.5};
    double beta = 0.7;
    double[] lp = logp(theta), lr = logp(ref);
    double[] p = {Math.exp(lp[0]), 1 - Math.exp(lp[0])};
    double[] withoutKl = gradient(theta, lp, lr, 0.2, 0);
    double[] withKl = gradient(theta, lp, lr, 0.2, beta);
    // ∇θ of (β/K) Σ k3(d_i), d_i = log π_ref(y_i) − log π(y_i): (β/K) Σ (1 − e^{d_i}) (e_{y_i} − p)
    double[] kl = new double[2];
    for (int i = 0; i < 3; i++) {
      double d = lr[i] - lp[i];
      for (int v = 0; v < 2; v++)
        kl[v] += beta * (1 - Math.exp(d)) * ((SAMPLES[i] == v ? 1 : 0) - p[v]) / 3;
    }
    for (int v = 0; v < 2; v++)
      assertThat(withKl[v] - withoutKl[v]).isCloseTo(kl[v], within(1e-12));
    assertThat(Math.abs(kl[0])).isGreaterThan(0.01);
  }

  @Test
  void sequenceLogProbsSumTheAnswerTokensLogProbabilitiesAsTheTrainingLossDoes() {
    try (Scope s = Ops.scope()) {
      CausalLm lm = new CausalLm(LmConfig.tiny("AA", 11));
      var one = new ArTraining.Example(new long[] {1, 2, 3}, new long[] {4, 5, 6, 7});
      var two = new ArTraining.Example(new long[] {3, 2, 1}, new long[] {7, 7, 0, 1});
      double[] seq = Ops.doubles(Rloo.sequenceLogProbs(lm, java.util.List.of(one, two)));
      for (int i = 0; i < 2; i++) {
        var e = i == 0 ? one : two;
        // the training loss is the mean cross-entropy over the answer tokens
        double ce = ArTraining.answerLoss(lm, java.util.List.of(e)).item_double();
        assertThat(seq[i]).isCloseTo(-ce * 4, within(1e-4));
      }
      assertThat(seq[0]).isNotCloseTo(seq[1], within(1e-3));
    }
  }

  @Test
  void theClipStopsSamplesWhoseRatioLeftTheTrustRegionInTheirFavour() {
    double[] theta = {0.3, -0.4};
    double[] lp = logp(theta);
    double[] old = lp.clone();
    old[0] = lp[0] - 0.5; // ρ_0 = e^0.5 > 1.2 and A_0 > 0: clipped, no gradient from sample 0
    double[] a = Rloo.advantages(REWARDS, 3);
    double p0 = Math.exp(lp[0]);
    double[] p = {p0, 1 - p0};
    double[] expected = new double[2];
    for (int i = 1; i < 3; i++) // samples 1 and 2 keep ρ = 1
    for (int v = 0; v < 2; v++) expected[v] -= a[i] * ((SAMPLES[i] == v ? 1 : 0) - p[v]) / 3;
    double[] g = gradient(theta, old, lp, 0.2, 0);
    assertThat(g).containsExactly(expected, within(1e-12));
    assertThat(Arrays.equals(g, gradient(theta, lp, lp, 0.2, 0))).isFalse();
  }
}
