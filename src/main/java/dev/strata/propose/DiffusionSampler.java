package dev.strata.propose;

/**
 * A reverse process of a masked-diffusion model, batched: fills the masked positions of B sequences
 * at once, one denoiser forward pass over the whole batch per step.
 *
 * <p>Implementations: {@link AncestralSampler} (MDLM), {@link LowConfidenceSampler} (LLaDA), {@link
 * EditingSampler} (LLaDA 2.1 token-to-token editing) and {@link EdlmSampler} (EDLM's energy-guided
 * importance sampling).
 */
public interface DiffusionSampler {

  /**
   * Fills {@code start} (B rows of equal length T; the denoiser's mask id at open positions).
   *
   * @param fixed per position, whether the sampler must leave it alone (a prompt, a Sudoku given);
   *     null means every unmasked position of {@code start} is fixed. An unmasked position that is
   *     not fixed counts as decoded: an editing sampler may revise it.
   * @param rng the run's only source of randomness (the same seed gives the same samples)
   */
  DiffusionSample sample(Denoiser denoiser, long[][] start, boolean[][] fixed, RandomSource rng);

  /**
   * {@link #sample(Denoiser, long[][], boolean[][], RandomSource)} with every unmasked start token
   * fixed.
   */
  default DiffusionSample sample(Denoiser denoiser, long[][] start, RandomSource rng) {
    return sample(denoiser, start, null, rng);
  }

  /** B rows of T mask ids: unconditional generation. */
  static long[][] allMasked(int batch, int length, int maskId) {
    if (batch <= 0 || length <= 0)
      throw new IllegalArgumentException(
          "batch and length must be positive, got " + batch + ", " + length);
    long[][] x = new long[batch][length];
    for (long[] row : x) java.util.Arrays.fill(row, maskId);
    return x;
  }

  /**
   * B rows that start with {@code prompt} (fixed) and continue with {@code length − prompt.length}
   * mask ids.
   */
  static long[][] prompted(long[] prompt, int batch, int length, int maskId) {
    if (prompt.length >= length) {
      throw new IllegalArgumentException(
          "the prompt (" + prompt.length + " tokens) leaves nothing to generate in " + length);
    }
    long[][] x = allMasked(batch, length, maskId);
    for (long[] row : x) System.arraycopy(prompt, 0, row, 0, prompt.length);
    return x;
  }
}
