package dev.strata.world;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.SplittableRandom;

/**
 * Training clips from a {@link Trajectories} dataset: H+1 frames taken every {@code frameskip}
 * steps, rendered on the fly, with the action chunk (frameskip actions, step-major (a_x, a_y)) that
 * follows each of the first H frames. Batches are a pure function of (seed, index), so training
 * resumes exactly without sampler state. Training batches come from the training episodes only;
 * held-out batches from the held-out ones.
 */
public final class ClipSampler {
  /**
   * A batch: normalised frames (B, H+1, 3, S, S), raw action chunks (B, H, k), and the agent
   * positions (B, H+1, 2).
   */
  public record Batch(Tensor frames, Tensor actions, double[] xs, double[] ys) {}

  private final Trajectories data;
  private final WorldModelConfig config;
  private final TwoRoomRenderer renderer;
  private final long[] trainCum; // cumulative valid clip starts over training episodes
  private final long[] heldCum; // … over held-out episodes

  public ClipSampler(Trajectories data, WorldModelConfig config) {
    this.data = data;
    this.config = config;
    this.renderer = new TwoRoomRenderer(data.config.sigma());
    this.trainCum = cumulative(0, data.trainEpisodes());
    this.heldCum = cumulative(data.trainEpisodes(), data.episodes());
    if (trainCum[trainCum.length - 1] == 0 || heldCum[heldCum.length - 1] == 0) {
      throw new IllegalArgumentException(
          "the dataset's episodes are too short for clips of " + span() + " steps");
    }
  }

  /** Steps a clip spans: frameskip·H. */
  private int span() {
    return config.frameskip() * config.history();
  }

  private long[] cumulative(int from, int to) {
    long[] cum = new long[to - from + 1];
    for (int e = from; e < to; e++)
      cum[e - from + 1] = cum[e - from] + Math.max(0, data.length(e) - span() + 1);
    return cum;
  }

  public TwoRoomRenderer renderer() {
    return renderer;
  }

  public Batch trainBatch(long seed, long index) {
    return batch(
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index), trainCum, 0, config.batch());
  }

  /** Held-out batch number {@code index}: a fixed set for a given seed. */
  public Batch heldOutBatch(long seed, long index, int size) {
    return batch(
        new SplittableRandom(~seed * 0xBF58476D1CE4E5B9L + index),
        heldCum,
        data.trainEpisodes(),
        size);
  }

  private Batch batch(SplittableRandom rng, long[] cum, int firstEpisode, int size) {
    int h = config.history(), t = h + 1, k = config.chunkDim(), fs = config.frameskip();
    double[] xs = new double[size * t], ys = new double[size * t];
    float[] acts = new float[size * h * k];
    for (int b = 0; b < size; b++) {
      long pick = rng.nextLong(cum[cum.length - 1]);
      int lo = 0, hi = cum.length - 1; // find the episode e with cum[e] ≤ pick < cum[e+1]
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (cum[mid] <= pick) lo = mid;
        else hi = mid;
      }
      int e = firstEpisode + lo;
      int start = (int) (pick - cum[lo]);
      for (int f = 0; f < t; f++) {
        xs[b * t + f] = data.stateX(e, start + f * fs);
        ys[b * t + f] = data.stateY(e, start + f * fs);
      }
      for (int f = 0; f < h; f++) {
        for (int s = 0; s < fs; s++) {
          for (int d = 0; d < 2; d++)
            acts[(b * h + f) * k + 2 * s + d] = data.action(e, start + f * fs + s, d);
        }
      }
    }
    int size2 = config.imageSize();
    float[] pixels = renderer.renderBatch(xs, ys, size2);
    return new Batch(
        Ops.tensor(pixels, size, t, 3, size2, size2), Ops.tensor(acts, size, h, k), xs, ys);
  }

  /**
   * Per-dimension mean and standard deviation of the action chunks over every training clip start.
   */
  public float[][] actionStatistics() {
    int k = config.chunkDim(), fs = config.frameskip();
    double[] sum = new double[k], sq = new double[k];
    long n = 0;
    for (int e = 0; e < data.trainEpisodes(); e++) {
      for (int start = 0; start + span() <= data.length(e); start++) {
        for (int s = 0; s < fs; s++) {
          for (int d = 0; d < 2; d++) {
            double v = data.action(e, start + s, d);
            sum[2 * s + d] += v;
            sq[2 * s + d] += v * v;
          }
        }
        n++;
      }
    }
    float[] mean = new float[k], std = new float[k];
    for (int i = 0; i < k; i++) {
      mean[i] = (float) (sum[i] / n);
      std[i] = (float) Math.sqrt(Math.max(sq[i] / n - mean[i] * (double) mean[i], 1e-12));
    }
    return new float[][] {mean, std};
  }
}
