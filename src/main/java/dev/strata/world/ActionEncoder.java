package dev.strata.world;

import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;

/**
 * LeWM's action encoder: a frameskipped chunk of actions (frameskip × 2 values), z-scored per
 * dimension with the training data's statistics (buffers {@code mean}, {@code std}, saved with the
 * model), then Conv1d(k, k, kernel 1) ({@code patch_embed}, a per-step Linear) → Linear(k, hidden)
 * → SiLU → Linear(hidden, D).
 */
public final class ActionEncoder extends Module {
  public final Tensor mean; // (k) buffer
  public final Tensor std; // (k) buffer
  public final Linear patchEmbed; // (k) → (k)
  public final Linear fc1; // (k) → (hidden)
  public final Linear fc2; // (hidden) → (D)

  public ActionEncoder(int chunkDim, int hidden, int dim) {
    this.mean = buffer("mean", Ops.zeros(chunkDim));
    this.std = buffer("std", Ops.ones(chunkDim));
    this.patchEmbed = child("patch_embed", new Linear(chunkDim, chunkDim));
    this.fc1 = child("embed.0", new Linear(chunkDim, hidden));
    this.fc2 = child("embed.2", new Linear(hidden, dim));
  }

  /** Sets the z-scoring statistics (from the training data). */
  public void setStatistics(float[] mean, float[] std) {
    try (var g = Ops.noGrad()) {
      this.mean.copy_(Ops.tensor(mean, mean.length));
      this.std.copy_(Ops.tensor(std, std.length));
    }
  }

  /** Raw action chunks (…, k) → z-scored (…, k). */
  public Tensor normalize(Tensor raw) {
    return raw.sub(mean).div(std);
  }

  /** z-scored chunks (…, k) → raw actions (…, k). */
  public Tensor denormalize(Tensor z) {
    return z.mul(std).add(mean);
  }

  /** z-scored chunks (…, k) → action embeddings (…, D). */
  public Tensor forward(Tensor normalized) {
    return fc2.forward(Ops.silu(fc1.forward(patchEmbed.forward(normalized))));
  }
}
