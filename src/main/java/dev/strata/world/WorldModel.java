package dev.strata.world;

import dev.strata.nn.Activation;
import dev.strata.nn.BatchNormProjector;
import dev.strata.nn.ConvEncoder;
import dev.strata.nn.ConvEncoderConfig;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.nn.VitConfig;
import dev.strata.nn.VitEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * LeWorldModel (Maes et al. 2026): a JEPA trained end to end from pixels. An encoder (conv or ViT)
 * and a BatchNorm projector map a frame to its embedding z; an action encoder embeds each
 * frameskipped action chunk; an AdaLN-Zero causal predictor maps the embedding history and the
 * actions to the next embeddings. The loss is the next-embedding MSE plus λ·SIGReg of the
 * embeddings — no decoder, no EMA target, no stop-gradient (the target embeddings get gradients).
 */
public final class WorldModel extends Module {
  public final WorldModelConfig config;
  public final Module encoder;
  public final BatchNormProjector projector;
  public final ActionEncoder actionEncoder;
  public final Predictor predictor;
  public final SigReg sigreg;
  private final UnaryOperator<Tensor> encoderForward;

  /** The loss of one batch of clips and its two terms. */
  public record Loss(Tensor total, Tensor prediction, Tensor sigreg) {}

  public WorldModel(WorldModelConfig c) {
    this.config = c;
    if (c.encoder().equals("conv")) {
      ConvEncoder conv =
          new ConvEncoder(
              new ConvEncoderConfig(3, c.convWidths(), 4, 8, Activation.GELU, c.embedDim()));
      this.encoder = child("encoder", conv);
      this.encoderForward =
          x -> conv.forward(Ops.channelsLast(x)); // NHWC: oneDNN's faster conv kernels
    } else {
      VitEncoder vit =
          new VitEncoder(
              new VitConfig(
                  c.imageSize(),
                  c.patch(),
                  3,
                  c.embedDim(),
                  c.vitDepth(),
                  c.vitHeads(),
                  4.0,
                  VitConfig.Pooling.CLS));
      this.encoder = child("encoder", vit);
      this.encoderForward = vit::forward;
    }
    this.projector =
        child("projector", new BatchNormProjector(c.embedDim(), c.projectorHidden(), c.embedDim()));
    this.actionEncoder =
        child("action_encoder", new ActionEncoder(c.chunkDim(), c.actionHidden(), c.embedDim()));
    this.predictor = child("predictor", new Predictor(c));
    this.sigreg = new SigReg(c.sigregDirections());
  }

  /** Normalised frames (N, 3, S, S) → embeddings (N, D): encoder, then projector. */
  public Tensor encode(Tensor frames) {
    return projector.forward(encoderForward.apply(frames));
  }

  /**
   * The training loss of a batch of clips (LeWM, eq. for L): frames (B, H+1, 3, S, S) and raw
   * action chunks (B, H, k). z = encode(frames) (B, H+1, D); ẑ_{2..H+1} = pred(z_{1..H}, a_{1..H});
   * L = MSE(ẑ, z_{2..H+1}) + λ·SIGReg(z), SIGReg per time step over the batch, averaged.
   */
  public Loss loss(Tensor frames, Tensor actions) {
    long b = frames.size(0);
    long t = frames.size(1);
    int h = config.history();
    Tensor z = encode(frames.flatten(0, 1)).view(b, t, config.embedDim()); // (B, H+1, D)
    Tensor c = actionEncoder.forward(actionEncoder.normalize(actions)); // (B, H, D)
    Tensor predicted = predictor.forward(z.narrow(1, 0, h), c); // (B, H, D)
    Tensor target = z.narrow(1, 1, h); // (B, H, D), no stop-gradient
    Tensor prediction = Ops.mean(Ops.pow(predicted.sub(target), 2), false);
    Tensor reg = sigreg.loss(z);
    return new Loss(prediction.add(Ops.mul(reg, config.lambda())), prediction, reg);
  }

  /**
   * Rolls the predictor forward from one embedding per sample: z0 (N, D) and z-scored action chunks
   * (N, K, k) → the predicted embedding after the K chunks (N, D). Each step feeds the last ≤
   * history embeddings (predicted ones included) and their actions; all N samples at once.
   */
  public Tensor rollout(Tensor z0, Tensor plan) {
    long k = plan.size(1);
    Tensor c = actionEncoder.forward(plan); // (N, K, D)
    List<Tensor> zs = new ArrayList<>(List.of(z0.unsqueeze(1))); // each (N, 1, D)
    for (long i = 0; i < k; i++) {
      int from = (int) Math.max(0, zs.size() - config.history());
      Tensor window = Ops.cat(1, zs.subList(from, zs.size())); // (N, ≤H, D)
      Tensor next = predictor.forward(window, c.narrow(1, from, zs.size() - from)); // (N, ≤H, D)
      zs.add(next.narrow(1, next.size(1) - 1, 1)); // the newest prediction
    }
    return zs.get(zs.size() - 1).squeeze(1);
  }
}
