package dev.strata.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Float64 finite-difference checks of the vision layers' gradients (inputs and parameters). */
class VisionGradCheckTest {
  @BeforeEach
  void seed() {
    Ops.seed(13);
  }

  private static Tensor input(long... shape) {
    return Ops.requireGrad(Ops.randn(DType.FLOAT64, shape));
  }

  @Test
  void patchEmbedAndVitEncoderGradients() {
    try (PointerScope s = new PointerScope()) {
      for (VitConfig.Pooling pool : VitConfig.Pooling.values()) {
        VitEncoder vit = new VitEncoder(new VitConfig(8, 4, 2, 8, 2, 2, 2.0, pool));
        vit.to(DType.FLOAT64);
        Golden.fill(vit, 0.3);
        Tensor x = input(2, 2, 8, 8);
        Tensor w = Ops.randn(DType.FLOAT64, 2, 8);
        List<Tensor> leaves =
            new ArrayList<>(
                List.of(
                    x,
                    vit.patchEmbed.proj.weight,
                    vit.posEmbed,
                    vit.blocks.get(0).attn.qkv.weight,
                    vit.blocks.get(1).mlp.fc1.weight,
                    vit.norm.weight));
        if (vit.clsToken != null) leaves.add(vit.clsToken);
        GradCheck.check(() -> GradCheck.weightedSum(vit.forward(x), w), leaves, 8, 1e-6);
      }
    }
  }

  @Test
  void convEncoderGradients() {
    try (PointerScope s = new PointerScope()) {
      ConvEncoder enc =
          new ConvEncoder(new ConvEncoderConfig(2, List.of(4, 6), 4, 2, Activation.GELU, 3));
      enc.to(DType.FLOAT64);
      Golden.fill(enc, 0.3);
      Tensor x = input(2, 2, 8, 8);
      Tensor w = Ops.randn(DType.FLOAT64, 2, 3);
      GradCheck.check(
          () -> GradCheck.weightedSum(enc.forward(x), w),
          List.of(
              x,
              enc.stages.get(0).conv.weight,
              enc.stages.get(0).norm.weight,
              enc.stages.get(1).conv.bias,
              enc.stages.get(1).norm.bias,
              enc.proj.weight),
          10,
          1e-6);
    }
  }

  @Test
  void batchNormGradientsInTrainingMode() {
    try (PointerScope s = new PointerScope()) {
      BatchNorm1d bn = new BatchNorm1d(3);
      bn.to(DType.FLOAT64);
      Golden.fill(bn, 0.5);
      VisionLayersTest.positiveRunningVar(bn);
      Tensor x = input(5, 3);
      Tensor w = Ops.randn(DType.FLOAT64, 5, 3);
      GradCheck.check(
          () -> GradCheck.weightedSum(bn.forward(x), w), List.of(x, bn.weight, bn.bias), 15, 1e-6);
      Tensor x3 = input(3, 3, 4);
      Tensor w3 = Ops.randn(DType.FLOAT64, 3, 3, 4);
      GradCheck.check(
          () -> GradCheck.weightedSum(bn.forward(x3), w3), List.of(x3, bn.weight), 12, 1e-6);
    }
  }

  @Test
  void batchNormProjectorGradientsInTrainingMode() {
    try (PointerScope s = new PointerScope()) {
      BatchNormProjector proj = new BatchNormProjector(4, 6, 3);
      proj.to(DType.FLOAT64);
      Golden.fill(proj, 0.4);
      VisionLayersTest.positiveRunningVar(proj);
      Tensor x = input(2, 3, 4);
      Tensor w = Ops.randn(DType.FLOAT64, 2, 3, 3);
      GradCheck.check(
          () -> GradCheck.weightedSum(proj.forward(x), w),
          List.of(
              x, proj.fc1.weight, proj.fc1.bias, proj.norm.weight, proj.norm.bias, proj.fc2.weight),
          10,
          1e-6);
    }
  }

  @Test
  void adaLnBlockGradients() {
    try (PointerScope s = new PointerScope()) {
      AdaLnBlock block = new AdaLnBlock(6, 2, 4, 12, 5, 0.0, true);
      block.to(DType.FLOAT64);
      Golden.fill(block, 0.3); // non-zero modulation, so every branch carries gradient
      Tensor x = input(2, 3, 6);
      Tensor c = input(2, 3, 5);
      Tensor w = Ops.randn(DType.FLOAT64, 2, 3, 6);
      GradCheck.check(
          () -> GradCheck.weightedSum(block.forward(x, c), w),
          List.of(
              x,
              c,
              block.attn.qkv.weight,
              block.attn.proj.bias,
              block.mlp.fc1.weight,
              block.mlp.fc2.bias,
              block.adaLnModulation.linear.weight,
              block.adaLnModulation.linear.bias),
          10,
          1e-6);
    }
  }
}
