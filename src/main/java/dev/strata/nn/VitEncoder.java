package dev.strata.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Vision Transformer encoder (Dosovitskiy et al. 2021): patch embedding, optional class token,
 * learned positional embedding, pre-norm blocks and a final LayerNorm; the image vector is the
 * class token (CLS) or the mean of the patch tokens (MEAN). Parameter names follow timm's {@code
 * VisionTransformer} ({@code patch_embed.proj}, {@code cls_token}, {@code pos_embed}, {@code
 * blocks.i.…}, {@code norm}). Under MEAN pooling the final {@code norm} is applied to the tokens
 * before the mean (timm's {@code fc_norm=False} variant), so all tokens come out normalised.
 */
public final class VitEncoder extends Module {
  public final VitConfig config;
  public final PatchEmbed patchEmbed;
  public final Tensor clsToken; // (1, 1, D) or null under MEAN pooling
  public final Tensor posEmbed; // (1, N(+1), D)
  public final List<VitBlock> blocks;
  public final LayerNorm norm;

  public VitEncoder(VitConfig config) {
    this.config = config;
    this.patchEmbed =
        child("patch_embed", new PatchEmbed(config.channels(), config.patchSize(), config.dim()));
    // timm's init: a near-zero class token, positional embedding N(0, 0.02²).
    this.clsToken =
        config.pool() == VitConfig.Pooling.CLS
            ? param("cls_token", Ops.normal(1e-6, 1, 1, config.dim()))
            : null;
    this.posEmbed = param("pos_embed", Ops.normal(0.02, 1, config.tokens(), config.dim()));
    List<VitBlock> list = new ArrayList<>();
    for (int i = 0; i < config.depth(); i++) {
      // a dotted child name gives nn.ModuleList's state-dict names, blocks.i.…
      list.add(
          child("blocks." + i, new VitBlock(config.dim(), config.heads(), config.mlpHidden())));
    }
    this.blocks = Collections.unmodifiableList(list);
    this.norm = child("norm", new LayerNorm(config.dim(), true, 1e-6));
  }

  /** (B, C, H, W) images → (B, D) image vectors. */
  public Tensor forward(Tensor images) {
    return pool(tokens(images));
  }

  /**
   * (B, C, H, W) → (B, N(+1), D): every token after the final norm, the class token first under CLS
   * pooling, then the patches in row-major order.
   */
  public Tensor tokens(Tensor images) {
    long side = config.imageSize();
    if (images.dim() != 4 || images.size(2) != side || images.size(3) != side) {
      throw new IllegalArgumentException(
          "VitEncoder expects (B, "
              + config.channels()
              + ", "
              + side
              + ", "
              + side
              + ") images (its positional embedding is fixed), got "
              + Arrays.toString(Ops.shape(images)));
    }
    Tensor x = patchEmbed.forward(images); // (B, N, D)
    if (clsToken != null)
      x = Ops.cat(1, clsToken.expand(x.size(0), 1, config.dim()), x); // (B, 1+N, D)
    x = x.add(posEmbed);
    for (VitBlock block : blocks) x = block.forward(x);
    return norm.forward(x);
  }

  /**
   * (B, N(+1), D) tokens from {@link #tokens} → (B, D): the class token, or the mean of the
   * patches.
   */
  public Tensor pool(Tensor tokens) {
    return switch (config.pool()) {
      case CLS -> tokens.select(1, 0);
      case MEAN -> Ops.mean(tokens, false, 1);
    };
  }
}
