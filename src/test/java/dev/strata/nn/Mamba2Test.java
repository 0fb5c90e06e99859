package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Mamba2Test {
  /** 4 heads of 8 channels in 2 groups, state 8, chunk 8. */
  static final Mamba2Config SMALL = new Mamba2Config(16, 8, 8, 2, 2, 4, 8);

  @BeforeEach
  void seed() {
    Ops.seed(5);
  }

  static double maxDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }

  @Test
  void parametersAreNamedAndInitialisedLikeMambaSsm() {
    try (PointerScope s = new PointerScope()) {
      Mamba2Block block = new Mamba2Block(new Mamba2Config(128));
      Map<String, Tensor> state = block.stateDict();
      assertThat(state.keySet())
          .containsExactlyInAnyOrder(
              "norm.weight",
              "mixer.in_proj.weight",
              "mixer.conv1d.weight",
              "mixer.conv1d.bias",
              "mixer.dt_bias",
              "mixer.A_log",
              "mixer.D",
              "mixer.norm.weight",
              "mixer.out_proj.weight");
      // in_proj: 128 → z 256, x 256, B 64, C 64, Δ 8 heads; conv over x, B, C = 384 channels.
      assertThat(Ops.shape(state.get("mixer.in_proj.weight"))).containsExactly(648, 128);
      assertThat(Ops.shape(state.get("mixer.conv1d.weight"))).containsExactly(384, 1, 4);
      assertThat(Ops.shape(state.get("mixer.out_proj.weight"))).containsExactly(128, 256);
      Tensor a = block.mixer.aLog.exp(), dt = Ops.softplus(block.mixer.dtBias);
      assertThat(Ops.item(a.min())).isGreaterThanOrEqualTo(1.0);
      assertThat(Ops.item(a.max())).isLessThanOrEqualTo(16.0);
      assertThat(Ops.item(dt.min())).isGreaterThanOrEqualTo(0.999e-3);
      assertThat(Ops.item(dt.max())).isLessThanOrEqualTo(1.001e-1);
      assertThat(Ops.doubles(block.mixer.d)).containsOnly(1.0);
      assertThat(block.parameterCount())
          .isEqualTo(128 + 648 * 128 + 384 * 4 + 384 + 3 * 8 + 256 + 256 * 128);
    }
  }

  @Test
  void blockMatchesPyTorchSequentialReference() {
    try (PointerScope s = new PointerScope()) {
      Mamba2Block block = new Mamba2Block(SMALL);
      Golden.fill(block, 0.5);
      Tensor x = Golden.det(0.3, 1.0, 2, 13, 16);
      Golden.assertMatches("mamba2.block", block.forward(x), 2e-5);
      Mamba2State state = block.newState(2, 13);
      Golden.assertMatches("mamba2.block", block.forward(x, state), 2e-5);
      Golden.assertMatches("mamba2.state", state.ssm(), 2e-5);
    }
  }

  @Test
  void prefillAndStepsMatchTheFullForward() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba2Block block = new Mamba2Block(SMALL);
      Tensor x = Ops.randn(2, 30, 16);
      Tensor full = block.forward(x);
      try (Mamba2State state = block.newState(2, 30)) {
        List<Tensor> pieces = new ArrayList<>();
        pieces.add(block.forward(x.narrow(1, 0, 11), state)); // prefill, T not a multiple of Q
        for (long t = 11; t < 17; t++)
          pieces.add(block.forward(x.narrow(1, t, 1), state)); // recurrent steps
        pieces.add(
            block.forward(x.narrow(1, 17, 2), state)); // a prefill shorter than the conv window
        pieces.add(
            block.forward(x.narrow(1, 19, 11), state)); // prefill from a non-zero state and history
        assertThat(state.position()).isEqualTo(30);
        assertThat(maxDiff(Ops.cat(1, pieces), full)).isLessThan(1e-5);
      }
    }
  }

  @Test
  void outputsDoNotDependOnFutureInputs() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba2Block block = new Mamba2Block(SMALL);
      Tensor x = Ops.randn(2, 20, 16);
      Tensor changed = x.clone();
      changed.narrow(1, 12, 1).copy_(Ops.randn(2, 1, 16));
      Tensor before = block.forward(x), after = block.forward(changed);
      assertThat(maxDiff(before.narrow(1, 0, 12), after.narrow(1, 0, 12))).isLessThan(1e-6);
      assertThat(maxDiff(before.narrow(1, 12, 8), after.narrow(1, 12, 8))).isGreaterThan(1e-3);
    }
  }

  @Test
  void decodeStateHasConstantSize() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba2Block block = new Mamba2Block(SMALL);
      try (Mamba2State state = block.newState(3, 1000)) {
        long expected =
            4L * 3 * (SMALL.convDim() * 3 + SMALL.nHeads() * SMALL.headDim() * SMALL.dState());
        assertThat(state.bytes()).isEqualTo(expected);
        block.forward(Ops.randn(3, 20, 16), state);
        for (int i = 0; i < 10; i++) {
          block.forward(Ops.randn(3, 1, 16), state);
          assertThat(state.bytes()).isEqualTo(expected);
        }
        assertThat(state.position()).isEqualTo(30);
      }
    }
  }

  @Test
  void gradientsOfTheBlockMatchFiniteDifferences() {
    try (PointerScope s = new PointerScope()) {
      Mamba2Block block = new Mamba2Block(new Mamba2Config(8, 4, 4, 2, 2, 4, 4));
      block.to(DType.FLOAT64);
      Tensor x = Ops.requireGrad(Ops.randn(DType.FLOAT64, 2, 7, 8));
      Tensor w = Ops.randn(DType.FLOAT64, 2, 7, 8);
      List<Tensor> leaves = new ArrayList<>(block.parameters());
      leaves.add(x);
      GradCheck.check(() -> GradCheck.weightedSum(block.forward(x), w), leaves, 8, 1e-6);
    }
  }

  @Test
  void rejectsAForeignState() {
    try (PointerScope s = new PointerScope()) {
      Mamba2Block block = new Mamba2Block(SMALL);
      assertThatThrownBy(() -> block.forward(Ops.randn(1, 1, 16), null))
          .hasMessageContaining("Mamba2State");
      assertThatThrownBy(() -> new Mamba2Config(16, 8, 12, 2, 1, 4, 8))
          .hasMessageContaining("headDim");
    }
  }
}
