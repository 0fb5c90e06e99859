package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The state every sampler shares: the sequences being denoised, which positions are fixed, when
 * each position was committed, the edits, and the forward counts. The denoiser runs natively (one
 * batched forward per step, in its own {@link Scope}); the sampler's choices run in Java on the
 * returned log-probabilities, so they draw from the caller's {@link RandomSource} and a seed
 * reproduces a run exactly.
 */
final class DenoisingRun {
  final Denoiser denoiser;
  final int batch;
  final int length;
  final int vocab;
  final long mask;
  final long[][] x;
  final boolean[][] fixed;
  final int[][] committedAt;
  final List<DiffusionSample.Edit> edits = new ArrayList<>();
  int step;
  long denoiserForwards;
  long arForwards;
  long arSequences;
  private float[] cached; // log-probabilities of the last forward, (B·T·V) row-major
  private boolean dirty = true;

  DenoisingRun(Denoiser denoiser, long[][] start, boolean[][] fixed) {
    if (start.length == 0 || start[0].length == 0)
      throw new IllegalArgumentException("nothing to sample: the start is empty");
    this.denoiser = denoiser;
    this.batch = start.length;
    this.length = start[0].length;
    this.vocab = denoiser.vocab();
    this.mask = denoiser.maskId();
    this.x = new long[batch][];
    this.fixed = new boolean[batch][length];
    this.committedAt = new int[batch][length];
    for (int b = 0; b < batch; b++) {
      if (start[b].length != length)
        throw new IllegalArgumentException(
            "rows must share one length: row " + b + " has " + start[b].length + ", not " + length);
      x[b] = start[b].clone();
      java.util.Arrays.fill(committedAt[b], -1);
      for (int i = 0; i < length; i++) {
        long v = x[b][i];
        if (v != mask && (v < 0 || v >= vocab))
          throw new IllegalArgumentException(
              "token "
                  + v
                  + " at row "
                  + b
                  + ", position "
                  + i
                  + " is outside the vocabulary of "
                  + vocab);
        if (fixed != null) {
          if (fixed[b][i] && v == mask)
            throw new IllegalArgumentException(
                "position " + i + " of row " + b + " is fixed but masked");
          this.fixed[b][i] = fixed[b][i];
        } else {
          this.fixed[b][i] = v != mask;
        }
      }
    }
  }

  boolean masked(int b, int i) {
    return x[b][i] == mask;
  }

  int maskedCount(int b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) if (x[b][i] == mask) n++;
    return n;
  }

  /** Whether some row has a position in [from, to) that is not fixed (masked or decoded). */
  boolean anyOpen(int from, int to) {
    for (int b = 0; b < batch; b++) for (int i = from; i < to; i++) if (!fixed[b][i]) return true;
    return false;
  }

  boolean anyMasked(int from, int to) {
    for (int b = 0; b < batch; b++) if (maskedCount(b, from, to) > 0) return true;
    return false;
  }

  /**
   * Log-probabilities (B·T·V) of the current sequences; reuses the last forward when nothing
   * changed since.
   */
  float[] forward() {
    if (!dirty) return cached;
    long[] flat = new long[batch * length];
    for (int b = 0; b < batch; b++) System.arraycopy(x[b], 0, flat, b * length, length);
    try (Scope s = Ops.scope();
        var g = noGrad()) {
      Tensor logp = denoiser.logProbs(tensor(flat, batch, length)); // (B, T, V)
      cached = floats(logp);
    }
    denoiserForwards++;
    dirty = false;
    return cached;
  }

  int offset(int b, int i) {
    return (b * length + i) * vocab;
  }

  void commit(int b, int i, long token) {
    x[b][i] = token;
    committedAt[b][i] = step;
    dirty = true;
  }

  void edit(int b, int i, long token) {
    edits.add(new DiffusionSample.Edit(b, i, step, x[b][i], token));
    x[b][i] = token;
    dirty = true;
  }

  DiffusionSample result() {
    return new DiffusionSample(
        x, committedAt, List.copyOf(edits), step, denoiserForwards, arForwards, arSequences);
  }

  /** The most likely token of a position. */
  static int argmax(float[] lp, int off, int v) {
    int best = 0;
    for (int j = 1; j < v; j++) if (lp[off + j] > lp[off + best]) best = j;
    return best;
  }

  /**
   * A token drawn from exp(lp / temperature) (temperature 0: the argmax), with its log-probability
   * under the distribution actually drawn from, written to {@code logq[0]}.
   */
  static int draw(float[] lp, int off, int v, double temperature, RandomSource rng, double[] logq) {
    if (temperature == 0) {
      int a = argmax(lp, off, v);
      logq[0] = 0;
      return a;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) max = Math.max(max, lp[off + j] / temperature);
    double total = 0;
    for (int j = 0; j < v; j++) total += Math.exp(lp[off + j] / temperature - max);
    double u = rng.nextDouble() * total;
    int pick = -1;
    int last = 0; // the last possible token: where rounding lands if u is not used up
    for (int j = 0; j < v; j++) {
      double w = Math.exp(lp[off + j] / temperature - max);
      if (w > 0) {
        last = j;
        if ((u -= w) <= 0) {
          pick = j;
          break;
        }
      }
    }
    if (pick < 0) pick = last;
    logq[0] = lp[off + pick] / temperature - max - Math.log(total);
    return pick;
  }

  /**
   * Tokens per step of a block: {@code count} positions over {@code steps} steps, the remainder to
   * the first steps (LLaDA).
   */
  static int[] schedule(int count, int steps) {
    if (steps == 0) return new int[0];
    int[] k = new int[steps];
    for (int j = 0; j < steps; j++) k[j] = count / steps + (j < count % steps ? 1 : 0);
    return k;
  }

  /**
   * Steps per block: {@code steps} shared over the blocks that hold a masked position at the start
   * (a block that is all prompt gets none), the remainder to the first of them.
   */
  int[] stepsPerBlock(int steps, int blockLength) {
    int blocks = blocks(length, blockLength);
    int active = 0;
    for (int k = 0; k < blocks; k++)
      if (anyMasked(k * blockLength, (k + 1) * blockLength)) active++;
    if (steps < active) {
      throw new IllegalArgumentException(
          steps
              + " steps cannot cover "
              + active
              + " blocks of "
              + blockLength
              + " positions; give at least one step per block");
    }
    int[] share = schedule(steps, Math.max(1, active));
    int[] out = new int[blocks];
    for (int k = 0, a = 0; k < blocks; k++)
      if (anyMasked(k * blockLength, (k + 1) * blockLength)) out[k] = share[a++];
    return out;
  }

  static int blocks(int length, int blockLength) {
    if (blockLength <= 0)
      throw new IllegalArgumentException("block length must be positive, got " + blockLength);
    if (length % blockLength != 0) {
      throw new IllegalArgumentException(
          "block length " + blockLength + " does not divide the sequence length " + length);
    }
    return length / blockLength;
  }
}
