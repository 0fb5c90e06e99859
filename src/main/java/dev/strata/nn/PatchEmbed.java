package dev.strata.nn;

import java.util.Arrays;

/**
 * ViT patch embedding (Dosovitskiy et al. 2021, eq. 1): cut the image into non-overlapping p×p
 * patches and project each linearly to {@code dim} — a Conv2d with kernel = stride = p, as timm's
 * {@code PatchEmbed} ({@code proj}).
 */
public final class PatchEmbed extends Module {
  public final long channels;
  public final long patchSize;
  public final long dim;
  public final Conv2d proj;

  public PatchEmbed(long channels, long patchSize, long dim) {
    this.channels = channels;
    this.patchSize = patchSize;
    this.dim = dim;
    this.proj = child("proj", new Conv2d(channels, dim, patchSize, patchSize, 0, true));
  }

  /** (B, C, H, W) → (B, N, D) with N = (H/p)·(W/p) patches in row-major order. */
  public Tensor forward(Tensor images) {
    if (images.dim() != 4
        || images.size(1) != channels
        || images.size(2) % patchSize != 0
        || images.size(3) % patchSize != 0) {
      throw new IllegalArgumentException(
          "PatchEmbed expects (B, "
              + channels
              + ", H, W) with H and W multiples of "
              + patchSize
              + ", got "
              + Arrays.toString(Ops.shape(images)));
    }
    Tensor grid = proj.forward(images); // (B, D, H/p, W/p)
    return grid.flatten(2, 3).transpose(1, 2); // (B, N, D)
  }
}
