package dev.strata.propose;

import java.util.List;

/**
 * LLaDA 2.1's token-to-token editing sampler (joint threshold decoding) for a model trained to edit
 * ({@link DiffusionConfig#editing()}): blocks left to right as {@link LowConfidenceSampler}; each
 * step predicts every position (argmax), then
 *
 * <ul>
 *   <li>commits every masked position of the block whose confidence exceeds τ ({@code
 *       commitThreshold}, 0.7); if none does, the step's scheduled top-k;
 *   <li>edits every decoded position (one committed at an earlier step, or an unfixed start token)
 *       whose argmax differs from its token with probability above τ_edit ({@code editThreshold},
 *       0.5).
 * </ul>
 *
 * A block ends once it holds no mask and a step changes nothing, or after {@code maxPostEditSteps}
 * (16) steps since its last mask was filled. With {@code editEarlierBlocks} edits may reach decoded
 * positions of earlier blocks too; without it (the default) only the current block is edited, and
 * an earlier block is final once left. A SUBS model copies decoded tokens through with probability
 * 1, so under it no edit ever fires.
 *
 * @param steps total mask-filling steps, at least one per block (the top-k schedule when nothing
 *     passes τ)
 * @param blockLength must divide the sequence length
 * @param commitThreshold τ
 * @param editThreshold τ_edit
 * @param maxPostEditSteps steps a block may spend editing after its last mask is filled
 * @param editEarlierBlocks whether edits reach blocks before the current one
 * @param temperature of the mask-filling predictions (0: argmax, LLaDA 2.1's default; above 0 a
 *     draw, whose probability is then its confidence); edits always take the argmax
 */
public record EditingSampler(
    int steps,
    int blockLength,
    double commitThreshold,
    double editThreshold,
    int maxPostEditSteps,
    boolean editEarlierBlocks,
    double temperature)
    implements DiffusionSampler {

  public EditingSampler {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    if (blockLength < 1)
      throw new IllegalArgumentException("block length must be positive, got " + blockLength);
    if (maxPostEditSteps < 0)
      throw new IllegalArgumentException("post-edit steps must be ≥ 0, got " + maxPostEditSteps);
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
  }

  /** Argmax mask filling. */
  public EditingSampler(
      int steps,
      int blockLength,
      double commitThreshold,
      double editThreshold,
      int maxPostEditSteps,
      boolean editEarlierBlocks) {
    this(
        steps, blockLength, commitThreshold, editThreshold, maxPostEditSteps, editEarlierBlocks, 0);
  }

  /**
   * LLaDA 2.1's defaults: τ = 0.7, τ_edit = 0.5, 16 post-edit steps, edits within the current
   * block.
   */
  public EditingSampler(int steps, int blockLength) {
    this(steps, blockLength, 0.7, 0.5, 16, false, 0);
  }

  /** LLaDA 2.1's defaults with mask filling at {@code temperature}. */
  public EditingSampler(int steps, int blockLength, double temperature) {
    this(steps, blockLength, 0.7, 0.5, 16, false, temperature);
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
      int editFrom = editEarlierBlocks ? 0 : from;
      if (!run.anyOpen(from, to)) continue; // all fixed: nothing to fill or edit
      int[][] schedule = new int[run.batch][];
      for (int b = 0; b < run.batch; b++)
        schedule[b] = DenoisingRun.schedule(run.maskedCount(b, from, to), perBlock[k]);
      int j = 0; // mask-filling steps of this block
      int post = 0; // steps since the block's last mask was filled
      while (true) {
        boolean filling = run.anyMasked(from, to);
        if (!filling && post >= maxPostEditSteps) break;
        float[] lp = run.forward();
        boolean changed = false;
        for (int b = 0; b < run.batch; b++) {
          // edits first, on the tokens decoded before this step
          for (int p = editFrom; p < to; p++) {
            if (run.fixed[b][p] || run.masked(b, p)) continue;
            int off = run.offset(b, p);
            int a = DenoisingRun.argmax(lp, off, run.vocab);
            if (a != run.x[b][p] && Math.exp(lp[off + a]) > editThreshold) {
              run.edit(b, p, a);
              changed = true;
            }
          }
          List<LowConfidenceSampler.Candidate> c =
              LowConfidenceSampler.predictions(run, lp, b, from, to, temperature, rng);
          if (c.isEmpty()) continue;
          int passing = 0;
          for (LowConfidenceSampler.Candidate cand : c)
            if (cand.confidence() > commitThreshold) passing++;
          int scheduled =
              schedule[b].length == 0 ? 1 : schedule[b][Math.min(j, schedule[b].length - 1)];
          LowConfidenceSampler.commitMostConfident(
              run, b, c, passing > 0 ? passing : Math.max(1, scheduled));
          changed = true;
        }
        run.step++;
        if (filling) {
          j++;
        } else {
          post++;
          if (!changed) break;
        }
      }
    }
    return run.result();
  }
}
