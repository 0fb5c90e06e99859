package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicLayersTest {
  @BeforeEach
  void seed() {
    Ops.seed(7);
  }

  @Test
  void linearMatchesPyTorch() {
    try (PointerScope s = new PointerScope()) {
      Linear lin = new Linear(8, 5);
      Golden.fill(lin, 0.3);
      Golden.assertMatches("basic.linear", lin.forward(Golden.det(0.3, 1.0, 2, 3, 8)), 1e-5);
    }
  }

  @Test
  void embeddingMatchesPyTorch() {
    try (PointerScope s = new PointerScope()) {
      Embedding emb = new Embedding(11, 4);
      Golden.fill(emb, 1.0);
      Tensor ids = Ops.tensor(new long[] {0, 3, 10, 7, 7, 1}, 2, 3);
      Golden.assertMatches("basic.embedding", emb.forward(ids), 1e-6);
    }
  }

  @Test
  void normsMatchPyTorch() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Golden.det(0.3, 1.0, 2, 3, 8);
      LayerNorm ln = new LayerNorm(8);
      Golden.fill(ln, 0.5);
      Golden.assertMatches("basic.layernorm", ln.forward(x), 1e-5);
      RMSNorm rms = new RMSNorm(8);
      Golden.fill(rms, 0.5);
      Golden.assertMatches("basic.rmsnorm", rms.forward(x), 1e-5);
    }
  }

  @Test
  void gradientsOfBasicLayersMatchFiniteDifferences() {
    try (PointerScope s = new PointerScope()) {
      Linear lin = new Linear(6, 4);
      LayerNorm ln = new LayerNorm(4);
      RMSNorm rms = new RMSNorm(4);
      lin.to(DType.FLOAT64);
      ln.to(DType.FLOAT64);
      rms.to(DType.FLOAT64);
      Golden.fill(ln, 0.5); // non-trivial γ, β
      Tensor x = Ops.requireGrad(Ops.randn(DType.FLOAT64, 3, 6));
      Tensor w = Ops.randn(DType.FLOAT64, 3, 4);
      GradCheck.check(
          () -> GradCheck.weightedSum(rms.forward(ln.forward(lin.forward(x))), w),
          List.of(x, lin.weight, lin.bias, ln.weight, ln.bias, rms.weight),
          12,
          1e-6);
    }
  }

  @Test
  void stateDictUsesDottedNamesAndRejectsMismatches() {
    try (PointerScope s = new PointerScope()) {
      class Two extends Module {
        final Linear a = child("a", new Linear(3, 2));
        final LayerNorm n = child("n", new LayerNorm(2));
      }
      Two m = new Two();
      assertThat(m.stateDict().keySet())
          .containsExactly("a.weight", "a.bias", "n.weight", "n.bias");
      assertThat(m.parameterCount()).isEqualTo(3 * 2 + 2 + 2 + 2);
      Two other = new Two();
      other.loadStateDict(m.stateDict());
      assertThat(Ops.floats(other.a.weight)).containsExactly(Ops.floats(m.a.weight));
      Map<String, Tensor> wrong = m.stateDict();
      wrong.put("a.weight", Ops.zeros(2, 4));
      assertThatThrownBy(() -> other.loadStateDict(wrong))
          .hasMessageContaining("a.weight")
          .hasMessageContaining("[2, 4]");
      Map<String, Tensor> missing = m.stateDict();
      missing.remove("n.bias");
      assertThatThrownBy(() -> other.loadStateDict(missing))
          .hasMessageContaining("missing: [n.bias]");
      m.freeze();
      assertThat(m.trainableParameters()).isEmpty();
    }
  }

  @Test
  void dtypeConversionKeepsTheSameTensorObjects() {
    Linear lin = new Linear(3, 2);
    Tensor w = lin.weight;
    float[] before = Ops.floats(w);
    lin.to(DType.FLOAT64);
    assertThat(Ops.dtype(lin.weight)).isEqualTo(DType.FLOAT64);
    assertThat(lin.weight).isSameAs(w);
    assertThat(lin.weight.requires_grad()).isTrue();
    double[] after = Ops.doubles(lin.weight);
    for (int i = 0; i < before.length; i++) assertThat(after[i]).isEqualTo(before[i]);
  }
}
