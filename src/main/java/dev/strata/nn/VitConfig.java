package dev.strata.nn;

/**
 * Shape of a {@link VitEncoder}: square {@code imageSize}² images of {@code channels} channels cut
 * into {@code patchSize}² patches, {@code depth} blocks of width {@code dim} with {@code heads}
 * heads and MLP width {@code mlpRatio·dim}, and how the image vector is pooled from the tokens.
 */
public record VitConfig(
    int imageSize,
    int patchSize,
    int channels,
    int dim,
    int depth,
    int heads,
    double mlpRatio,
    Pooling pool) {

  /** How {@link VitEncoder#forward} reduces the tokens to one vector per image. */
  public enum Pooling {
    /** A learned {@code cls_token} is prepended; its final state is the image vector. */
    CLS,
    /** No class token; the image vector is the mean over the patch tokens. */
    MEAN
  }

  public VitConfig {
    if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "image size " + imageSize + " is not a positive multiple of patch size " + patchSize);
    }
    if (channels <= 0 || depth < 0 || heads <= 0 || dim % heads != 0) {
      throw new IllegalArgumentException(
          "bad ViT shape: channels "
              + channels
              + ", depth "
              + depth
              + ", dim "
              + dim
              + " over "
              + heads
              + " heads");
    }
    if (mlpRatio <= 0)
      throw new IllegalArgumentException("mlpRatio must be positive, got " + mlpRatio);
    if (pool == null) throw new IllegalArgumentException("pool must be CLS or MEAN");
  }

  /**
   * ViT-Tiny (width 192, 12 blocks, 3 heads, MLP 4×) on RGB images with CLS pooling, as LeWM's
   * encoder.
   */
  public static VitConfig tiny(int imageSize, int patchSize) {
    return new VitConfig(imageSize, patchSize, 3, 192, 12, 3, 4.0, Pooling.CLS);
  }

  /** Patches per image, N = (imageSize / patchSize)². */
  public int patches() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** Tokens the blocks see: the patches, plus one for the class token under CLS pooling. */
  public int tokens() {
    return patches() + (pool == Pooling.CLS ? 1 : 0);
  }

  /** Hidden width of each block's MLP, {@code ⌊dim·mlpRatio⌋} as timm. */
  public int mlpHidden() {
    return (int) (dim * mlpRatio);
  }
}
