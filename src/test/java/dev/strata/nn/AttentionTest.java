package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forward values against PyTorch and gradients against finite differences, for the attention
 * family.
 */
class AttentionTest {
  @BeforeEach
  void seed() {
    Ops.seed(11);
  }

  private static Tensor x() {
    return Golden.det(0.3, 1.0, 2, 5, 16);
  }

  @Test
  void ropeMatchesPyTorchHalfSplitConvention() {
    try (PointerScope s = new PointerScope()) {
      Golden.assertMatches(
          "attention.rope", new Rope(8).apply(Golden.det(0.9, 1.0, 2, 3, 6, 8), 4), 1e-5);
    }
  }

  @Test
  void ropeIsARotationWhoseDotProductsDependOnlyOnRelativePosition() {
    try (PointerScope s = new PointerScope()) {
      Rope rope = new Rope(8);
      Tensor q = Ops.randn(DType.FLOAT64, 1, 8);
      Tensor k = Ops.randn(DType.FLOAT64, 1, 8);
      double near = Ops.item(rope.apply(q, 3).mul(rope.apply(k, 1)).sum());
      double far =
          Ops.item(rope.apply(q, 503).mul(rope.apply(k, 501)).sum()); // also grows the tables
      assertThat(far).isCloseTo(near, offset(1e-9));
      double norm = Ops.item(q.mul(q).sum());
      Tensor rq = rope.apply(q, 77);
      assertThat(Ops.item(rq.mul(rq).sum())).isCloseTo(norm, offset(1e-9));
      assertThat(Ops.dtype(rq)).isEqualTo(DType.FLOAT64);
      assertThat(Ops.dtype(rope.apply(Ops.to(q, DType.FLOAT32), 2))).isEqualTo(DType.FLOAT32);
    }
  }

  @Test
  void multiHeadAttentionMatchesPyTorch() {
    try (PointerScope s = new PointerScope()) {
      MultiHeadAttention causal = new MultiHeadAttention(16, 4, true, true);
      Golden.fill(causal, 0.3);
      Golden.assertMatches("attention.mha_causal_rope", causal.forward(x()), 1e-5);

      MultiHeadAttention bidirectional = new MultiHeadAttention(16, 4, false, false);
      Golden.fill(bidirectional, 0.3);
      Golden.assertMatches("attention.mha_bidirectional", bidirectional.forward(x()), 1e-5);
      boolean[] valid = {true, true, true, true, true, true, true, true, false, false};
      Tensor keyPadding = Ops.tensor(valid, 2, 1, 1, 5); // the second sequence has 3 tokens
      Golden.assertMatches(
          "attention.mha_bidirectional_masked", bidirectional.forwardMasked(x(), keyPadding), 1e-5);
    }
  }

  @Test
  void feedForwardsMatchPyTorch() {
    try (PointerScope s = new PointerScope()) {
      Mlp mlp = new Mlp(16);
      Golden.fill(mlp, 0.3);
      Golden.assertMatches("attention.mlp", mlp.forward(x()), 1e-5);
      SwiGlu swiGlu = new SwiGlu(16, 40);
      Golden.fill(swiGlu, 0.3);
      Golden.assertMatches("attention.swiglu", swiGlu.forward(x()), 1e-5);
    }
  }

  @Test
  void transformerBlocksMatchPyTorch() {
    try (PointerScope s = new PointerScope()) {
      TransformerBlock gpt = new TransformerBlock(AttentionConfig.causal(16, 4));
      Golden.fill(gpt, 0.3);
      Golden.assertMatches("attention.block_causal_rope", gpt.forward(x()), 1e-5);

      TransformerBlock encoder =
          new TransformerBlock(AttentionConfig.bidirectional(16, 4).withSwiGlu(40).withBias(false));
      Golden.fill(encoder, 0.3);
      Golden.assertMatches("attention.block_bidirectional_swiglu", encoder.forward(x()), 1e-5);
    }
  }

  @Test
  void stateDictNamesMatchPyTorch() {
    try (PointerScope s = new PointerScope()) {
      assertThat(new TransformerBlock(AttentionConfig.causal(8, 2)).stateDict().keySet())
          .containsExactly(
              "ln1.weight",
              "ln1.bias",
              "attn.qkv.weight",
              "attn.qkv.bias",
              "attn.proj.weight",
              "attn.proj.bias",
              "ln2.weight",
              "ln2.bias",
              "mlp.fc.weight",
              "mlp.fc.bias",
              "mlp.proj.weight",
              "mlp.proj.bias");
      assertThat(
              new TransformerBlock(AttentionConfig.causal(8, 2).withSwiGlu(24).withBias(false))
                  .stateDict()
                  .keySet())
          .containsExactly(
              "ln1.weight",
              "attn.qkv.weight",
              "attn.proj.weight",
              "ln2.weight",
              "mlp.w1.weight",
              "mlp.w2.weight",
              "mlp.w3.weight");
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Ops.requireGrad(Ops.randn(DType.FLOAT64, 2, 4, 8));
      Tensor w = Ops.randn(DType.FLOAT64, 2, 4, 8);

      MultiHeadAttention attn = new MultiHeadAttention(8, 2, true, true);
      attn.to(DType.FLOAT64);
      GradCheck.check(
          () -> GradCheck.weightedSum(attn.forward(x), w),
          List.of(x, attn.qkv.weight, attn.qkv.bias, attn.proj.weight, attn.proj.bias),
          16,
          1e-6);

      Mlp mlp = new Mlp(8, 12, true);
      mlp.to(DType.FLOAT64);
      GradCheck.check(
          () -> GradCheck.weightedSum(mlp.forward(x), w),
          List.of(x, mlp.fc.weight, mlp.fc.bias, mlp.proj.weight, mlp.proj.bias),
          12,
          1e-6);

      SwiGlu swiGlu = new SwiGlu(8, 12);
      swiGlu.to(DType.FLOAT64);
      GradCheck.check(
          () -> GradCheck.weightedSum(swiGlu.forward(x), w),
          List.of(x, swiGlu.w1.weight, swiGlu.w2.weight, swiGlu.w3.weight),
          12,
          1e-6);

      TransformerBlock block = new TransformerBlock(AttentionConfig.causal(8, 2));
      block.to(DType.FLOAT64);
      Golden.fill(block.ln1, 0.5); // non-trivial γ, β
      Golden.fill(block.ln2, 0.5);
      List<Tensor> leaves = new ArrayList<>(List.of(x));
      leaves.addAll(block.parameters());
      GradCheck.check(() -> GradCheck.weightedSum(block.forward(x), w), leaves, 6, 1e-6);
    }
  }

  @Test
  void dropoutActsOnlyInTrainingMode() {
    try (PointerScope s = new PointerScope()) {
      TransformerBlock block = new TransformerBlock(AttentionConfig.causal(16, 4).withDropout(0.5));
      TransformerBlock plain = new TransformerBlock(AttentionConfig.causal(16, 4));
      plain.loadStateDict(block.stateDict());
      Tensor trained = block.forward(x());
      block.eval();
      assertThat(Ops.floats(block.forward(x()))).containsExactly(Ops.floats(plain.forward(x())));
      assertThat(Ops.floats(trained)).isNotEqualTo(Ops.floats(plain.forward(x())));
    }
  }

  @Test
  void configRejectsShapesThatDoNotSplitIntoHeads() {
    assertThatThrownBy(() -> AttentionConfig.causal(30, 4))
        .hasMessageContaining("multiple of heads 4");
    assertThatThrownBy(() -> AttentionConfig.causal(12, 4))
        .hasMessageContaining("even head dimension");
    assertThat(AttentionConfig.bidirectional(12, 4).headDim()).isEqualTo(3); // fine without RoPE
  }
}
