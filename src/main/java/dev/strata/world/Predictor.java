package dev.strata.world;

import dev.strata.nn.AdaLnBlock;
import dev.strata.nn.BatchNormProjector;
import dev.strata.nn.LayerNorm;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * LeWM's predictor: a causal transformer over the history of frame embeddings, with a learned
 * positional embedding and AdaLN-Zero conditioning of every block on that step's action embedding
 * (each block starts as the identity), a final LayerNorm, and its own BatchNorm projector. Output t
 * is the predicted embedding of frame t + 1.
 */
public final class Predictor extends Module {
  public final int history;
  public final Tensor posEmbed; // (1, history, D)
  public final List<AdaLnBlock> blocks;
  public final LayerNorm norm;
  public final BatchNormProjector projector;

  public Predictor(WorldModelConfig c) {
    this.history = c.history();
    this.posEmbed = param("pos_embed", Ops.normal(0.02, 1, c.history(), c.embedDim()));
    List<AdaLnBlock> list = new ArrayList<>();
    for (int i = 0; i < c.predictorDepth(); i++) {
      list.add(
          child(
              "blocks." + i,
              new AdaLnBlock(
                  c.embedDim(),
                  c.predictorHeads(),
                  c.predictorHeadDim(),
                  c.predictorMlp(),
                  c.embedDim(),
                  c.dropout(),
                  true)));
    }
    this.blocks = Collections.unmodifiableList(list);
    this.norm = child("norm", new LayerNorm(c.embedDim(), true, 1e-6));
    this.projector =
        child("projector", new BatchNormProjector(c.embedDim(), c.projectorHidden(), c.embedDim()));
  }

  /**
   * Embeddings z (B, T, D) and action embeddings c (B, T, D), T ≤ history → predicted next
   * embeddings (B, T, D).
   */
  public Tensor forward(Tensor z, Tensor c) {
    return projector.forward(trunk(z, c));
  }

  /** The blocks and final norm, before the projector: (B, T, D). */
  public Tensor trunk(Tensor z, Tensor c) {
    long t = z.size(1);
    if (t > history)
      throw new IllegalArgumentException(
          "the predictor sees at most " + history + " steps, got " + t);
    Tensor x = z.add(posEmbed.narrow(1, 0, t)); // (B, T, D)
    for (AdaLnBlock block : blocks)
      x = block.forward(x, c); // causal over time, conditioned per step
    return norm.forward(x);
  }
}
