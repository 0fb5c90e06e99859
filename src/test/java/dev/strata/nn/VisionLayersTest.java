package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forward values against PyTorch (src/test/python/golden_vision.py) and the layers' own contracts.
 */
class VisionLayersTest {
  private static final VitConfig VIT_CLS =
      new VitConfig(8, 4, 3, 16, 2, 2, 4.0, VitConfig.Pooling.CLS);
  private static final VitConfig VIT_MEAN =
      new VitConfig(8, 4, 3, 16, 2, 2, 4.0, VitConfig.Pooling.MEAN);

  @BeforeEach
  void seed() {
    Ops.seed(11);
  }

  /**
   * Golden.fill gives running_var sin values that may be negative; both sides then take |v| + 0.5.
   */
  static void positiveRunningVar(Module m) {
    try (var g = Ops.noGrad()) {
      m.namedBuffers()
          .forEach(
              (name, t) -> {
                if (name.endsWith("running_var")) t.copy_(Ops.add(t.abs(), 0.5));
              });
    }
  }

  @Test
  void patchEmbedMatchesPyTorch() {
    try (PointerScope s = new PointerScope()) {
      PatchEmbed pe = new PatchEmbed(3, 4, 16);
      Golden.fill(pe, 0.3);
      Golden.assertMatches(
          "vision.patch_embed", pe.forward(Golden.det(0.1, 1.0, 2, 3, 8, 8)), 1e-5);
      assertThatThrownBy(() -> pe.forward(Ops.zeros(2, 3, 8, 6)))
          .hasMessageContaining("multiples of 4");
    }
  }

  @Test
  void vitEncoderMatchesPyTorchWithClsAndMeanPooling() {
    try (PointerScope s = new PointerScope()) {
      Tensor images = Golden.det(0.1, 1.0, 2, 3, 8, 8);
      for (VitConfig config : List.of(VIT_CLS, VIT_MEAN)) {
        VitEncoder vit = new VitEncoder(config);
        Golden.fill(vit, 0.3);
        String pool = config.pool().name().toLowerCase();
        Golden.assertMatches("vision.vit_" + pool + "_pooled", vit.forward(images), 2e-5);
        Golden.assertMatches("vision.vit_" + pool + "_tokens", vit.tokens(images), 2e-5);
      }
    }
  }

  @Test
  void vitEncoderUsesTimmNamesAndShapes() {
    try (PointerScope s = new PointerScope()) {
      VitEncoder cls = new VitEncoder(VIT_CLS);
      assertThat(cls.stateDict())
          .containsKeys(
              "patch_embed.proj.weight",
              "patch_embed.proj.bias",
              "cls_token",
              "pos_embed",
              "blocks.0.norm1.weight",
              "blocks.0.attn.qkv.weight",
              "blocks.0.attn.proj.bias",
              "blocks.1.norm2.bias",
              "blocks.1.mlp.fc1.weight",
              "blocks.1.mlp.fc2.bias",
              "norm.weight",
              "norm.bias");
      assertThat(Ops.shape(cls.posEmbed)).containsExactly(1, 5, 16);
      assertThat(Ops.shape(cls.blocks.get(0).attn.qkv.weight)).containsExactly(48, 16);
      assertThat(Ops.shape(cls.blocks.get(0).mlp.fc1.weight)).containsExactly(64, 16);
      VitEncoder mean = new VitEncoder(VIT_MEAN);
      assertThat(mean.stateDict()).doesNotContainKey("cls_token");
      assertThat(Ops.shape(mean.posEmbed)).containsExactly(1, 4, 16);
      assertThat(mean.parameterCount()).isEqualTo(cls.parameterCount() - 16 - 16);
      assertThatThrownBy(() -> cls.forward(Ops.zeros(1, 3, 12, 12)))
          .hasMessageContaining("(B, 3, 8, 8)");
      assertThatThrownBy(() -> new VitConfig(10, 4, 3, 16, 2, 2, 4.0, VitConfig.Pooling.CLS))
          .hasMessageContaining("multiple of patch size");
      assertThat(VitConfig.tiny(224, 14).patches()).isEqualTo(256);
    }
  }

  @Test
  void convEncoderMatchesPyTorch() {
    try (PointerScope s = new PointerScope()) {
      Tensor images = Golden.det(0.2, 1.0, 2, 3, 16, 16);
      ConvEncoder gelu =
          new ConvEncoder(new ConvEncoderConfig(3, List.of(4, 8), 4, 2, Activation.GELU, 6));
      Golden.fill(gelu, 0.3);
      Golden.assertMatches("vision.conv_gelu_k4", gelu.forward(images), 1e-5);
      ConvEncoder silu =
          new ConvEncoder(new ConvEncoderConfig(3, List.of(4, 6, 8), 3, 2, Activation.SILU, 5));
      Golden.fill(silu, 0.3);
      Golden.assertMatches("vision.conv_silu_k3", silu.forward(images), 1e-5);
      assertThat(silu.stateDict())
          .containsKeys("stages.0.conv.weight", "stages.2.norm.bias", "proj.weight");
      assertThatThrownBy(() -> new ConvEncoderConfig(3, List.of(4, 6), 4, 4, Activation.GELU, 5))
          .hasMessageContaining("width 6");
    }
  }

  @Test
  void batchNormMatchesPyTorchInTrainAndEvalMode() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Golden.det(0.4, 2.0, 6, 5);
      BatchNorm1d bn = new BatchNorm1d(5);
      assertThat(bn.stateDict().keySet())
          .containsExactly("weight", "bias", "running_mean", "running_var", "num_batches_tracked");
      Golden.fill(bn, 0.5);
      positiveRunningVar(bn);
      bn.eval();
      Golden.assertMatches("vision.bn_eval", bn.forward(x), 1e-5);
      assertThat(Ops.longs(bn.numBatchesTracked)).containsExactly(0);
      bn.train(true);
      Golden.assertMatches("vision.bn_train", bn.forward(x), 1e-5);
      Golden.assertMatches("vision.bn_running_mean", bn.runningMean, 1e-6);
      Golden.assertMatches("vision.bn_running_var", bn.runningVar, 1e-6);
      assertThat(Ops.dtype(bn.numBatchesTracked)).isEqualTo(DType.INT64);
      assertThat(Ops.shape(bn.numBatchesTracked)).isEmpty();
      assertThat(Ops.longs(bn.numBatchesTracked)).containsExactly(1);
      bn.eval();
      Golden.assertMatches("vision.bn_eval_after_step", bn.forward(x), 1e-5);

      BatchNorm1d bn3 = new BatchNorm1d(5);
      Golden.fill(bn3, 0.5);
      positiveRunningVar(bn3);
      Golden.assertMatches("vision.bn3d_train", bn3.forward(Golden.det(0.6, 1.5, 4, 5, 3)), 1e-5);
      Golden.assertMatches("vision.bn3d_running_var", bn3.runningVar, 1e-6);
      assertThatThrownBy(() -> bn3.forward(Ops.ones(1, 5)))
          .hasMessageContaining("more than one value");
    }
  }

  @Test
  void batchNormEvalNormalisesWithRunningStatisticsNotTheBatch() {
    try (PointerScope s = new PointerScope()) {
      BatchNorm1d bn = new BatchNorm1d(4);
      Golden.fill(bn, 0.5);
      positiveRunningVar(bn);
      Tensor x = Ops.add(Ops.mul(Ops.randn(8, 4), 3.0), 2.0);
      float[] mean = Ops.floats(bn.runningMean);
      float[] var = Ops.floats(bn.runningVar);
      float[] w = Ops.floats(bn.weight);
      float[] b = Ops.floats(bn.bias);
      bn.eval();
      float[] evalOut = Ops.floats(bn.forward(x));
      float[] in = Ops.floats(x);
      for (int i = 0; i < in.length; i++) {
        int c = i % 4;
        double expected = (in[i] - mean[c]) / Math.sqrt(var[c] + 1e-5) * w[c] + b[c];
        assertThat((double) evalOut[i]).isCloseTo(expected, within(1e-4));
      }
      assertThat(Ops.floats(bn.runningMean))
          .containsExactly(mean); // eval leaves the statistics alone
      bn.train(true);
      float[] trainOut = Ops.floats(bn.forward(x));
      double maxDiff = 0;
      for (int i = 0; i < in.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(trainOut[i] - evalOut[i]));
      assertThat(maxDiff).as("batch statistics differ from the running ones").isGreaterThan(0.5);
      // momentum 0.1: running_mean moved a tenth of the way to the batch mean
      float[] batchMean = Ops.floats(Ops.mean(x, false, 0));
      float[] updated = Ops.floats(bn.runningMean);
      for (int c = 0; c < 4; c++) {
        assertThat((double) updated[c]).isCloseTo(0.9 * mean[c] + 0.1 * batchMean[c], within(1e-5));
      }
    }
  }

  @Test
  void batchNormProjectorMatchesPyTorchAndLeWMNames() {
    try (PointerScope s = new PointerScope()) {
      BatchNormProjector proj = new BatchNormProjector(6, 12, 4);
      assertThat(proj.stateDict().keySet())
          .containsExactly(
              "net.0.weight",
              "net.0.bias",
              "net.1.weight",
              "net.1.bias",
              "net.3.weight",
              "net.3.bias",
              "net.1.running_mean",
              "net.1.running_var",
              "net.1.num_batches_tracked");
      Golden.fill(proj, 0.4);
      positiveRunningVar(proj);
      Tensor z = Golden.det(0.7, 1.0, 2, 3, 6);
      Golden.assertMatches("vision.projector_train", proj.forward(z), 1e-5);
      Golden.assertMatches("vision.projector_running_mean", proj.norm.runningMean, 1e-6);
      proj.eval();
      Golden.assertMatches("vision.projector_eval", proj.forward(z), 1e-5);
    }
  }

  @Test
  void adaLnBlockMatchesPyTorchWithNonZeroModulation() {
    try (PointerScope s = new PointerScope()) {
      AdaLnBlock block = new AdaLnBlock(8, 2, 6, 16, 5, 0.0, true);
      assertThat(block.stateDict().keySet())
          .containsExactly(
              "attn.qkv.weight",
              "attn.qkv.bias",
              "attn.proj.weight",
              "attn.proj.bias",
              "mlp.fc1.weight",
              "mlp.fc1.bias",
              "mlp.fc2.weight",
              "mlp.fc2.bias",
              "adaLN_modulation.1.weight",
              "adaLN_modulation.1.bias");
      Golden.fill(block, 0.3);
      Tensor tokens = Golden.det(0.8, 1.0, 2, 3, 8);
      Golden.assertMatches(
          "vision.adaln_per_token", block.forward(tokens, Golden.det(0.9, 1.0, 2, 3, 5)), 1e-5);
      Golden.assertMatches(
          "vision.adaln_per_sequence", block.forward(tokens, Golden.det(1.0, 1.0, 2, 5)), 1e-5);
    }
  }

  @Test
  void adaLnZeroBlockIsTheIdentityAtInitButLearnsThroughItsGates() {
    try (PointerScope s = new PointerScope()) {
      AdaLnBlock block = new AdaLnBlock(8, 2, 32);
      Tensor x = Ops.randn(2, 4, 8);
      Tensor c = Ops.randn(2, 4, 8);
      Tensor y = block.forward(x, c);
      assertThat(Ops.floats(y)).containsExactly(Ops.floats(x));
      for (Tensor m : block.adaLnModulation.forward(c)) assertThat(Ops.floats(m)).containsOnly(0f);
      // Zero gates stop gradient into the branches, but the modulation Linear itself gets one.
      y.mul(Ops.randn(2, 4, 8)).sum().backward();
      assertThat(maxAbsGrad(block.attn.qkv.weight)).isZero();
      assertThat(maxAbsGrad(block.mlp.fc1.weight)).isZero();
      assertThat(maxAbsGrad(block.adaLnModulation.linear.weight)).isGreaterThan(0.0);
    }
  }

  private static double maxAbsGrad(Tensor leaf) {
    Tensor g = Ops.grad(leaf);
    return g == null ? 0 : Ops.item(g.abs().max());
  }

  @Test
  void adaLnBlockIsCausalOverTime() {
    try (PointerScope s = new PointerScope()) {
      AdaLnBlock block = new AdaLnBlock(8, 2, 4, 16, 3, 0.0, true);
      Golden.fill(block, 0.3);
      Tensor x = Ops.randn(1, 5, 8);
      Tensor c = Ops.randn(1, 5, 3);
      float[] before = Ops.floats(block.forward(x, c).narrow(1, 0, 3));
      try (var g = Ops.noGrad()) {
        x.narrow(1, 3, 2).add_(Ops.onesLike(x.narrow(1, 3, 2)));
        c.narrow(1, 4, 1).mul_(Ops.fullLike(c.narrow(1, 4, 1), -2.0));
      }
      Tensor after = block.forward(x, c);
      float[] prefix = Ops.floats(after.narrow(1, 0, 3));
      for (int i = 0; i < before.length; i++)
        assertThat(prefix[i]).isCloseTo(before[i], within(1e-6f));
      float[] last = Ops.floats(after.narrow(1, 4, 1));
      assertThat(Ops.floats(block.forward(x, c).narrow(1, 4, 1))).containsExactly(last);
    }
  }
}
