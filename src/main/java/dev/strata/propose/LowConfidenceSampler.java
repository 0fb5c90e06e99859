package dev.strata.propose;

import java.util.ArrayList;
import java.util.List;

/**
 * LLaDA's sampler (Nie et al. 2025, Alg. 5, "low-confidence remasking" with semi-autoregressive
 * blocks): the sequence is cut into blocks of {@code blockLength} decoded left to right, the steps
 * are shared out over the blocks, and each step of a block predicts every masked position of the
 * block (argmax, or a draw at {@code temperature} &gt; 0), commits the scheduled number k of them
 * with the highest confidence p(x̂) and leaves the rest masked. Positions right of the block are
 * not committed (they are still seen). Committed tokens never change.
 *
 * @param steps total steps, at least one per block; a block's masked positions are spread evenly
 *     over its steps
 * @param blockLength must divide the sequence length (the length itself: one block, no semi-AR)
 * @param temperature of the predictions x̂ (0: argmax, LLaDA's default)
 */
public record LowConfidenceSampler(int steps, int blockLength, double temperature)
    implements DiffusionSampler {

  public LowConfidenceSampler {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    if (blockLength < 1)
      throw new IllegalArgumentException("block length must be positive, got " + blockLength);
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
  }

  @Override
  public DiffusionSample sample(
      Denoiser denoiser, long[][] start, boolean[][] fixed, RandomSource rng) {
    DenoisingRun run = new DenoisingRun(denoiser, start, fixed);
    int[] perBlock = run.stepsPerBlock(steps, blockLength);
    int blocks = perBlock.length;
    for (int k = 0; k < blocks; k++) {
      int from = k * blockLength;
      int to = from + blockLength;
      int[][] schedule = new int[run.batch][];
      for (int b = 0; b < run.batch; b++)
        schedule[b] = DenoisingRun.schedule(run.maskedCount(b, from, to), perBlock[k]);
      for (int j = 0; j < perBlock[k] && run.anyMasked(from, to); j++) {
        float[] lp = run.forward();
        for (int b = 0; b < run.batch; b++) {
          List<Candidate> c = predictions(run, lp, b, from, to, temperature, rng);
          commitMostConfident(run, b, c, schedule[b][j]);
        }
        run.step++;
      }
    }
    return run.result();
  }

  /** A masked position's prediction and its confidence. */
  record Candidate(int position, int token, double confidence) {}

  /** The predictions of row b's masked positions in [from, to). */
  static List<Candidate> predictions(
      DenoisingRun run, float[] lp, int b, int from, int to, double temperature, RandomSource rng) {
    List<Candidate> out = new ArrayList<>();
    double[] logq = new double[1];
    for (int p = from; p < to; p++) {
      if (!run.masked(b, p)) continue;
      int off = run.offset(b, p);
      int token = DenoisingRun.draw(lp, off, run.vocab, temperature, rng, logq);
      out.add(new Candidate(p, token, Math.exp(lp[off + token])));
    }
    return out;
  }

  /** Commits the {@code n} most confident candidates (ties: leftmost first). */
  static void commitMostConfident(DenoisingRun run, int b, List<Candidate> candidates, int n) {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(
        (a, c) ->
            a.confidence() != c.confidence()
                ? Double.compare(c.confidence(), a.confidence())
                : Integer.compare(a.position(), c.position()));
    for (int i = 0; i < Math.min(n, sorted.size()); i++)
      run.commit(b, sorted.get(i).position(), sorted.get(i).token());
  }
}
