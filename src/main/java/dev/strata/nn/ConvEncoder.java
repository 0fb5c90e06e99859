package dev.strata.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small convolutional image encoder: stride-2 stages of Conv2d → GroupNorm → activation, each
 * halving the resolution, then global average pooling and a Linear ({@code proj}) to the output
 * width. Parameters are named {@code stages.i.conv}, {@code stages.i.norm}, {@code proj}.
 */
public final class ConvEncoder extends Module {
  public final ConvEncoderConfig config;
  public final List<Stage> stages;
  public final Linear proj;

  public ConvEncoder(ConvEncoderConfig config) {
    this.config = config;
    List<Stage> list = new ArrayList<>();
    long in = config.channels();
    for (int i = 0; i < config.widths().size(); i++) {
      long out = config.widths().get(i);
      // a dotted child name gives nn.ModuleList's state-dict names, stages.i.…
      list.add(child("stages." + i, new Stage(in, out, config)));
      in = out;
    }
    this.stages = Collections.unmodifiableList(list);
    this.proj = child("proj", new Linear(in, config.outDim()));
  }

  /** (B, C, H, W) → (B, outDim). */
  public Tensor forward(Tensor images) {
    Tensor x = images;
    for (Stage stage : stages) x = stage.forward(x); // (B, C_i, H/2^i, W/2^i)
    return proj.forward(Ops.mean(x, false, 2, 3)); // global average pool: (B, C_last) → (B, outDim)
  }

  /** One downsampling stage: {@code act(GroupNorm(Conv2d_stride2(x)))}. */
  public static final class Stage extends Module {
    public final Conv2d conv;
    public final GroupNorm norm;
    public final Activation activation;

    Stage(long in, long out, ConvEncoderConfig config) {
      this.conv = child("conv", new Conv2d(in, out, config.kernel(), 2, config.padding(), true));
      this.norm = child("norm", new GroupNorm(config.groups(), out));
      this.activation = config.activation();
    }

    /** (B, in, H, W) → (B, out, H', W'), H' = ⌊(H + 2p − k)/2⌋ + 1. */
    public Tensor forward(Tensor x) {
      return activation.apply(norm.forward(conv.forward(x)));
    }
  }
}
