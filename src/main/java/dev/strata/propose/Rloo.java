package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Tensor;
import java.util.List;

/**
 * REINFORCE with a leave-one-out baseline (RLOO; Kool et al. 2019, Ahmadian et al. 2024) for an
 * autoregressive proposer: K answers are sampled per problem, each gets a reward from a verifier
 * (accepted or not, optionally shaped by −energy), and each answer's advantage is its reward minus
 * the mean reward of the other K − 1 answers to the same problem,
 *
 * <pre>  A_i = r_i − (1 / (K − 1)) Σ_{j ≠ i} r_j,</pre>
 *
 * an unbiased baseline that needs no value network (GRPO divides by the group's standard deviation
 * as well; RLOO does not). The surrogate loss, with the sequence log-probability log π(y | x) = Σ_t
 * log π(y_t | x, y_&lt;t) over the answer tokens and the ratio ρ = π / π_old of the current policy
 * to the one that sampled,
 *
 * <pre>  L = −mean_i min(ρ_i A_i, clip(ρ_i, 1 − ε, 1 + ε) A_i) + β · mean_i k3(log π_ref − log π),
 *  k3(d) = e^d − d − 1 ≥ 0 (Schulman's estimator of KL(π ‖ π_ref)),</pre>
 *
 * whose gradient at ρ = 1 (the first update on fresh samples) is the RLOO estimate −mean_i A_i ∇
 * log π(y_i | x); the clipped ratio (PPO) bounds later updates on the same samples, and the KL term
 * keeps the policy near the supervised reference. Rewards are the caller's: this class knows no
 * energy.
 */
public final class Rloo {
  private Rloo() {}

  /**
   * Leave-one-out advantages of {@code rewards}, laid out as consecutive groups of {@code k}
   * answers to one problem.
   */
  public static double[] advantages(double[] rewards, int k) {
    if (k < 2) throw new IllegalArgumentException("RLOO needs ≥ 2 answers per problem, got " + k);
    if (rewards.length % k != 0)
      throw new IllegalArgumentException(
          rewards.length + " rewards are not whole groups of " + k + " answers");
    double[] a = new double[rewards.length];
    for (int g = 0; g < rewards.length; g += k) {
      double total = 0;
      for (int i = 0; i < k; i++) total += rewards[g + i];
      for (int i = 0; i < k; i++) a[g + i] = rewards[g + i] - (total - rewards[g + i]) / (k - 1);
    }
    return a;
  }

  /**
   * log π(answer | prompt) of each example under {@code model}, summed over the answer tokens:
   * (N,).
   */
  public static Tensor sequenceLogProbs(CausalLm model, List<ArTraining.Example> examples) {
    Tensor[] io = ArTraining.inputs(examples);
    int p = examples.get(0).prompt().length;
    int len = examples.get(0).answer().length;
    Tensor logp = logSoftmax(model.logits(io[0]).narrow(1, p - 1, len), -1); // (N, L, V)
    Tensor picked = logp.gather(2, io[1].unsqueeze(2)).squeeze(2); // (N, L)
    return sum(picked, false, 1); // (N,)
  }

  /**
   * The clipped, KL-regularised surrogate loss (a scalar) for sequence log-probabilities {@code
   * logp} (N,) with gradient, the sampling policy's {@code logpOld} and the reference's {@code
   * logpRef} (N,, no gradient), and the advantages (N).
   *
   * @param clip ε of the clipped ratio (PPO's 0.2)
   * @param klWeight β (0: no KL term)
   */
  public static Tensor loss(
      Tensor logp,
      Tensor logpOld,
      Tensor logpRef,
      double[] advantages,
      double clip,
      double klWeight) {
    if (logp.size(0) != advantages.length)
      throw new IllegalArgumentException(
          logp.size(0) + " log-probabilities for " + advantages.length + " advantages");
    Tensor a = to(tensor(advantages, advantages.length), dtype(logp)); // (N,)
    Tensor ratio = logp.sub(logpOld).exp(); // (N,)
    Tensor unclipped = ratio.mul(a);
    Tensor clipped = clamp(ratio, 1 - clip, 1 + clip).mul(a);
    Tensor surrogate = where(unclipped.lt(clipped), unclipped, clipped); // min of the two
    Tensor loss = surrogate.mean().neg();
    if (klWeight == 0) return loss;
    Tensor d = logpRef.sub(logp); // (N,)
    Tensor k3 = d.exp().sub(d).sub(full(dtype(logp), 1.0, d.size(0)));
    return loss.add(mul(k3.mean(), klWeight));
  }
}
