package dev.strata.propose;

import java.util.List;

/**
 * What a {@link DiffusionSampler} produced, with the evidence of how.
 *
 * @param tokens the final sequences (B, T)
 * @param committedAt per position, the step (0-based denoiser forward) at which its mask was
 *     replaced by a token; −1 for positions that were never masked
 * @param edits every token-to-token edit, in order (editing sampler only)
 * @param steps denoising steps taken
 * @param denoiserForwards forward passes of the denoiser (each over the whole batch); below {@code
 *     steps} when a step changed nothing and the next reused the cached prediction
 * @param arForwards forward passes of an autoregressive model (EDLM's energy; each over all B·k
 *     candidates)
 * @param arSequences sequences the AR model scored in all
 */
public record DiffusionSample(
    long[][] tokens,
    int[][] committedAt,
    List<Edit> edits,
    int steps,
    long denoiserForwards,
    long arForwards,
    long arSequences) {

  /**
   * One edit: at {@code step}, sequence {@code row}'s token at {@code position} changed from {@code
   * from} to {@code to}.
   */
  public record Edit(int row, int position, int step, long from, long to) {}

  /**
   * Generated tokens (positions the sampler committed) per denoiser forward pass, over the batch.
   */
  public double tokensPerForward() {
    long committed = 0;
    for (int[] row : committedAt) for (int s : row) if (s >= 0) committed++;
    return denoiserForwards == 0 ? 0 : (double) committed / denoiserForwards / tokens.length;
  }

  /**
   * The steps at which sequence {@code row}'s positions were edited (per position, possibly empty):
   * with {@link #committedAt} and {@link #steps}, what a picture of the denoising order shows.
   */
  public int[][] editSteps(int row) {
    int len = tokens[row].length;
    int[] count = new int[len];
    for (Edit e : edits) if (e.row() == row) count[e.position()]++;
    int[][] out = new int[len][];
    for (int i = 0; i < len; i++) out[i] = new int[count[i]];
    int[] fill = new int[len];
    for (Edit e : edits) if (e.row() == row) out[e.position()][fill[e.position()]++] = e.step();
    return out;
  }
}
