package dev.strata.world;

import java.util.List;

/**
 * The shape of a {@link WorldModel} and its training recipe (LeWM, Maes et al. 2026).
 *
 * @param name "cpu", "paper" or "tiny"
 * @param imageSize frames are rendered at this size (224, or area-averaged down from 224)
 * @param encoder "conv" (a {@link dev.strata.nn.ConvEncoder}) or "vit" (a ViT with CLS pooling)
 * @param convWidths channels of the conv encoder's stride-2 stages
 * @param patch ViT patch size
 * @param vitDepth ViT blocks
 * @param vitHeads ViT heads (the ViT width is {@code embedDim})
 * @param embedDim D, the latent width (encoder output, predictor width)
 * @param projectorHidden hidden width of the BatchNorm projectors after encoder and predictor
 * @param predictorDepth AdaLN-Zero transformer blocks in the predictor
 * @param predictorHeads its heads
 * @param predictorHeadDim its head width
 * @param predictorMlp its MLP width
 * @param dropout predictor dropout (training only)
 * @param history frames of context the predictor sees (clips have history + 1 frames)
 * @param frameskip environment steps between frames; one predictor step consumes frameskip actions
 * @param actionHidden hidden width of the action encoder's MLP
 * @param lambda weight of SIGReg in the loss
 * @param sigregDirections M, random projections per SIGReg evaluation
 * @param batch clips per training step
 * @param lr peak learning rate (AdamW), after {@code warmupSteps} of linear warm-up, cosine to
 *     lr/10
 * @param warmupSteps linear warm-up steps
 * @param weightDecay AdamW weight decay
 * @param gradClip global gradient-norm clip
 */
public record WorldModelConfig(
    String name,
    int imageSize,
    String encoder,
    List<Integer> convWidths,
    int patch,
    int vitDepth,
    int vitHeads,
    int embedDim,
    int projectorHidden,
    int predictorDepth,
    int predictorHeads,
    int predictorHeadDim,
    int predictorMlp,
    double dropout,
    int history,
    int frameskip,
    int actionHidden,
    double lambda,
    int sigregDirections,
    int batch,
    double lr,
    long warmupSteps,
    double weightDecay,
    double gradClip) {

  public static final int ACTION_DIM = 2;

  public WorldModelConfig {
    convWidths = List.copyOf(convWidths);
    if (!encoder.equals("conv") && !encoder.equals("vit")) {
      throw new IllegalArgumentException("encoder must be conv or vit, got " + encoder);
    }
    if (imageSize <= 0 || imageSize > TwoRoom.CANVAS)
      throw new IllegalArgumentException("image size must be in 1…224");
    if (history < 1 || frameskip < 1 || embedDim <= 0 || batch < 2) {
      throw new IllegalArgumentException(
          "bad world-model shape (history, frameskip, width, batch)");
    }
  }

  /** The action chunk one predictor step consumes: frameskip actions × 2. */
  public int chunkDim() {
    return frameskip * ACTION_DIM;
  }

  /** Frames per training clip. */
  public int clipFrames() {
    return history + 1;
  }

  /**
   * The CPU configuration (default): frames rendered at 224 and area-averaged to 64×64; a conv
   * encoder 3→32→64→128→256 (kernel 4, stride 2, GroupNorm, GELU) → Linear to 128 → BN projector
   * (hidden 512); AdaLN-Zero predictor width 128, depth 4, 4 heads × 32, MLP 512, history 1;
   * frameskip 5; AdamW lr 5e-4 with 300 warm-up steps, batch 128. The reference PyTorch run of this
   * shape reached 86–94% on 2 cores in 25–55 minutes.
   */
  public static WorldModelConfig cpu() {
    return new WorldModelConfig(
        "cpu",
        64,
        "conv",
        List.of(32, 64, 128, 256),
        0,
        0,
        0,
        128,
        512,
        4,
        4,
        32,
        512,
        0.1,
        1,
        5,
        512,
        0.09,
        1024,
        128,
        5e-4,
        300,
        1e-3,
        1.0);
  }

  /**
   * The paper's configuration (for big machines): ViT-Tiny at 224 px, patch 14, projector 2048;
   * predictor 6 blocks, 16 heads × 64, MLP 2048, dropout 0.1; history 3; batch 128, lr 5e-5.
   */
  public static WorldModelConfig paper() {
    return new WorldModelConfig(
        "paper", 224, "vit", List.of(), 14, 12, 3, 192, 2048, 6, 16, 64, 2048, 0.1, 3, 5, 768, 0.09,
        1024, 128, 5e-5, 0, 1e-3, 1.0);
  }

  /** A tiny configuration for tests (seconds per step on one core). */
  public static WorldModelConfig tiny() {
    return new WorldModelConfig(
        "tiny",
        16,
        "conv",
        List.of(8, 16),
        0,
        0,
        0,
        16,
        32,
        2,
        2,
        8,
        32,
        0.0,
        2,
        5,
        32,
        0.09,
        32,
        8,
        1e-3,
        2,
        1e-3,
        1.0);
  }

  /** The named configurations; {@link #toString()} is the name users type. */
  public enum Preset {
    CPU("cpu"),
    PAPER("paper"),
    TINY("tiny");

    private final String name;

    Preset(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }

    public WorldModelConfig config() {
      return switch (this) {
        case CPU -> cpu();
        case PAPER -> paper();
        case TINY -> tiny();
      };
    }
  }

  public static WorldModelConfig named(String name) {
    for (Preset p : Preset.values()) if (p.name.equals(name)) return p.config();
    throw new IllegalArgumentException(
        "unknown world-model configuration '" + name + "' (cpu, paper or tiny)");
  }

  /**
   * Floating-point operations of one training step (forward + backward ≈ 3× forward, multiply-adds
   * counted as 2): the encoder over batch·(history+1) frames dominates.
   */
  public double flopsPerStep() {
    double frames = (double) batch * clipFrames();
    double enc;
    if (encoder.equals("conv")) {
      enc = 0;
      int side = imageSize, in = 3;
      for (int w : convWidths) {
        side = (side + 2 * ((4 - 1) / 2) - 4) / 2 + 1;
        enc += 2.0 * side * side * w * in * 16;
        in = w;
      }
      enc += 2.0 * in * embedDim;
    } else {
      int tokens = (imageSize / patch) * (imageSize / patch) + 1;
      enc =
          2.0 * tokens * 3 * patch * patch * embedDim
              + vitDepth
                  * (2.0 * tokens * 12 * embedDim * embedDim + 4.0 * tokens * tokens * embedDim);
    }
    enc += 4.0 * embedDim * projectorHidden;
    double tokens = (double) batch * history;
    double inner = (double) predictorHeads * predictorHeadDim;
    double pred =
        tokens
            * (predictorDepth
                    * (2.0 * embedDim * 3 * inner
                        + 2.0 * inner * embedDim
                        + 4.0 * embedDim * predictorMlp
                        + 2.0 * embedDim * 6 * embedDim
                        + 4.0 * history * inner)
                + 4.0 * embedDim * projectorHidden
                + 2.0 * chunkDim() * actionHidden
                + 2.0 * actionHidden * embedDim);
    return 3 * (frames * enc + pred);
  }
}
