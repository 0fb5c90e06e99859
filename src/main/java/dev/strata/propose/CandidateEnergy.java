package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;

/**
 * The energy {@link EdlmSampler} resamples candidate completions by (lower = better), batched over
 * all candidates of a step.
 */
@FunctionalInterface
public interface CandidateEnergy {

  /**
   * @param candidates complete sequences (N, T)
   * @param proposalLogProb per candidate, log q(x | x_t): the log-probability the denoiser gave its
   *     drawn tokens
   * @return E per candidate
   */
  double[] energies(long[][] candidates, double[] proposalLogProb);

  /**
   * Autoregressive forward passes one call of {@link #energies} costs (0 for an energy without a
   * network).
   */
  default int arForwardsPerCall() {
    return 0;
  }

  /**
   * EDLM's residual energy (Xu et al. 2024, eq. 9 with an AR model as the full-sequence energy):
   * E(x) = −log p_AR(x) + log p_denoiser(x | x_t), so that q(x | x_t)·exp(−E(x)) ∝ p_AR(x) and
   * resampling by exp(−E) moves the denoiser's candidates towards the AR model's distribution. −log
   * p_AR sums the AR model's next-token losses of positions 1…T−1 (it has no distribution for the
   * first token, which then weighs nothing), one batched forward for all candidates.
   */
  static CandidateEnergy arResidual(CausalLm ar) {
    return new CandidateEnergy() {
      @Override
      public double[] energies(long[][] candidates, double[] proposalLogProb) {
        double[] nll = arNll(ar, candidates);
        double[] e = new double[nll.length];
        for (int i = 0; i < e.length; i++) e[i] = nll[i] + proposalLogProb[i];
        return e;
      }

      @Override
      public int arForwardsPerCall() {
        return 1;
      }
    };
  }

  /** −Σ_{i≥1} log p_AR(x_i | x_&lt;i) per sequence (N, T), teacher-forced in one forward pass. */
  static double[] arNll(CausalLm ar, long[][] x) {
    int n = x.length;
    int len = x[0].length;
    if (len < 2) return new double[n];
    long[] flat = new long[n * len];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < len; i++) {
        if (x[r][i] < 0 || x[r][i] >= ar.config.vocab()) {
          throw new IllegalArgumentException(
              "token " + x[r][i] + " is outside the AR model's vocabulary of " + ar.config.vocab());
        }
      }
      System.arraycopy(x[r], 0, flat, r * len, len);
    }
    boolean wasTraining = ar.isTraining();
    ar.eval();
    try (Scope s = Ops.scope();
        var g = noGrad()) {
      Tensor ids = tensor(flat, n, len); // (N, T)
      Tensor logp =
          logSoftmax(
              ar.logits(ids.narrow(1, 0, len - 1)), -1); // (N, T−1, V): predictions of x_1…x_{T−1}
      Tensor picked =
          logp.gather(-1, ids.narrow(1, 1, len - 1).unsqueeze(-1)).squeeze(-1); // (N, T−1)
      double[] ll = doubles(sum(picked, false, 1)); // (N)
      for (int i = 0; i < n; i++) ll[i] = -ll[i];
      return ll;
    } finally {
      ar.train(wasTraining);
    }
  }
}
