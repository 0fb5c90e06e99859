package dev.strata.propose;

import dev.strata.nn.Tensor;

/**
 * The network a masked-diffusion sampler queries: a partly masked sequence x_t in, a distribution
 * over the clean token of every position out. {@link MaskedDiffusionLm} is one; tests use oracles.
 */
public interface Denoiser {

  /** Clean token ids V; the mask id is V. */
  int vocab();

  /** The mask token's id. */
  default int maskId() {
    return vocab();
  }

  /**
   * int64 x_t (B, T), with {@link #maskId()} at masked positions → log-probabilities of the clean
   * tokens (B, T, V), float32, no gradient needed. Under SUBS an unmasked position puts all its
   * mass on its own token.
   */
  Tensor logProbs(Tensor xt);
}
