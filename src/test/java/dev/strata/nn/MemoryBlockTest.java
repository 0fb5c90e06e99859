package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryBlockTest {
  /** Width 16, 2 heads of 8 channels, chunk 4, conv kernel 4. */
  static final MemoryConfig SMALL = new MemoryConfig(16, 2, 8, 4, 4, MemoryConfig.Rule.TITANS);

  @BeforeEach
  void seed() {
    Ops.seed(11);
  }

  static double maxDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }

  @Test
  void parametersAreNamedAndShaped() {
    try (PointerScope s = new PointerScope()) {
      MemoryBlock block = new MemoryBlock(SMALL);
      Map<String, Tensor> state = block.stateDict();
      assertThat(state.keySet())
          .containsExactlyInAnyOrder(
              "norm.weight",
              "mixer.in_proj.weight",
              "mixer.gate_proj.weight",
              "mixer.gate_proj.bias",
              "mixer.conv1d.weight",
              "mixer.conv1d.bias",
              "mixer.norm.weight",
              "mixer.out_proj.weight");
      assertThat(Ops.shape(state.get("mixer.in_proj.weight")))
          .containsExactly(64, 16); // q, k, v, z: 4 × 2·8
      assertThat(Ops.shape(state.get("mixer.gate_proj.weight")))
          .containsExactly(6, 16); // θ, α, η per head
      assertThat(Ops.shape(state.get("mixer.conv1d.weight")))
          .containsExactly(48, 1, 4); // over q, k, v
      assertThat(Ops.shape(state.get("mixer.norm.weight"))).containsExactly(8); // per head
      // α starts spread over the heads (b from −6 to −2); θ = σ(0)/2, η = σ(−2)
      assertThat(Ops.doubles(block.mixer.gateProj.bias)).containsExactly(0, 0, -6, -2, -2, -2);
      assertThat(block.memoryFloats()).isEqualTo(2 * 8 * 8);

      MemoryBlock delta =
          new MemoryBlock(SMALL.withRule(MemoryConfig.Rule.GATED_DELTA).withChunk(1));
      assertThat(Ops.shape(delta.stateDict().get("mixer.gate_proj.weight")))
          .containsExactly(4, 16); // no η
      MemoryBlock noConv =
          new MemoryBlock(new MemoryConfig(16, 2, 8, 4, 0, MemoryConfig.Rule.TITANS));
      assertThat(noConv.stateDict().keySet()).noneMatch(n -> n.contains("conv1d"));
      assertThat(new MemoryConfig(128).memoryFloats()).isEqualTo(4 * 32 * 32);
    }
  }

  @ParameterizedTest(name = "{0}, chunk {1}, conv {2}")
  @CsvSource({"TITANS,1,4", "TITANS,3,0", "TITANS,5,2", "GATED_DELTA,4,4"})
  void prefillAndStepsMatchTheFullForward(MemoryConfig.Rule rule, int chunk, int conv) {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      MemoryBlock block = new MemoryBlock(new MemoryConfig(16, 2, 8, chunk, conv, rule));
      Tensor x = Ops.randn(2, 23, 16);
      Tensor full = block.forward(x);
      try (MemoryState state = block.newState(2, 23)) {
        List<Tensor> pieces = new ArrayList<>();
        pieces.add(
            block.forward(x.narrow(1, 0, 6), state)); // prefill, T not a multiple of the chunk
        for (long t = 6; t < 13; t++)
          pieces.add(block.forward(x.narrow(1, t, 1), state)); // recurrent steps
        pieces.add(
            block.forward(x.narrow(1, 13, 2), state)); // a prefill shorter than the conv window
        pieces.add(
            block.forward(
                x.narrow(1, 15, 8), state)); // a prefill from mid-chunk and a non-zero memory
        assertThat(state.position()).isEqualTo(23);
        assertThat(maxDiff(Ops.cat(1, pieces), full)).isLessThan(1e-5);
      }
      // and every token decoded one at a time from an empty memory
      try (MemoryState state = block.newState(2, 23)) {
        List<Tensor> steps = new ArrayList<>();
        for (long t = 0; t < 23; t++) steps.add(block.forward(x.narrow(1, t, 1), state));
        assertThat(maxDiff(Ops.cat(1, steps), full)).isLessThan(1e-5);
      }
    }
  }

  @Test
  void outputsDoNotDependOnFutureInputs() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      MemoryBlock block = new MemoryBlock(SMALL);
      Tensor x = Ops.randn(2, 20, 16);
      Tensor changed = x.clone();
      changed
          .narrow(1, 9, 1)
          .copy_(Ops.randn(2, 1, 16)); // mid-chunk: the chunk's earlier reads must not see it
      Tensor before = block.forward(x), after = block.forward(changed);
      assertThat(maxDiff(before.narrow(1, 0, 9), after.narrow(1, 0, 9))).isLessThan(1e-6);
      assertThat(maxDiff(before.narrow(1, 9, 11), after.narrow(1, 9, 11))).isGreaterThan(1e-3);
    }
  }

  @Test
  void decodeStateHasConstantSize() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      MemoryBlock block = new MemoryBlock(SMALL);
      try (MemoryState state = block.newState(3, 1000)) {
        long expected =
            4L * 3 * (48 * 3 + 3 * 2 * 8 * 8); // conv history + M, S and the reference memory
        assertThat(state.bytes()).isEqualTo(expected);
        block.forward(Ops.randn(3, 10, 16), state);
        for (int i = 0; i < 10; i++) {
          block.forward(Ops.randn(3, 1, 16), state);
          assertThat(state.bytes()).isEqualTo(expected);
        }
        assertThat(state.position()).isEqualTo(20);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"TITANS", "GATED_DELTA"})
  void gradientsOfTheBlockMatchFiniteDifferences(MemoryConfig.Rule rule) {
    try (PointerScope s = new PointerScope()) {
      MemoryBlock block = new MemoryBlock(new MemoryConfig(8, 2, 4, 3, 2, rule));
      block.to(DType.FLOAT64);
      Tensor x = Ops.requireGrad(Ops.randn(DType.FLOAT64, 2, 7, 8));
      Tensor w = Ops.randn(DType.FLOAT64, 2, 7, 8);
      List<Tensor> leaves = new ArrayList<>(block.parameters());
      leaves.add(x);
      GradCheck.check(() -> GradCheck.weightedSum(block.forward(x), w), leaves, 4, 1e-6);
    }
  }

  @Test
  void theGatedDeltaRuleLayerIsAGatedDeltaNet() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      MemoryMixer mixer =
          new MemoryMixer(SMALL.withRule(MemoryConfig.Rule.GATED_DELTA).withChunk(1));
      mixer.to(DType.FLOAT64);
      Tensor u = Ops.randn(DType.FLOAT64, 2, 9, 16);
      MemoryMixer.Inputs in = mixer.inputs(u, null);
      assertThat(in.logEta()).isNull();
      Tensor direct =
          MemoryScanTest.gatedDeltaNet(
              in.q(), in.k(), in.v(), in.logDecay().exp(), Ops.mul(in.theta(), 2));
      assertThat(maxDiff(mixer.forward(u, null), mixer.readOut(direct, in.z()))).isLessThan(1e-12);
      // β = 2θ = σ(·) ∈ (0, 1), Gated DeltaNet's own range
      assertThat(Ops.item(Ops.mul(in.theta(), 2).max())).isLessThan(1.0);
    }
  }

  @Test
  void dropoutActsOnlyWhileTraining() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      MemoryBlock plain = new MemoryBlock(SMALL), dropped = new MemoryBlock(SMALL, 0.5);
      dropped.loadStateDict(plain.stateDict());
      Tensor x = Ops.randn(1, 6, 16);
      assertThat(maxDiff(dropped.forward(x), plain.forward(x))).isGreaterThan(1e-4);
      dropped.eval();
      assertThat(maxDiff(dropped.forward(x), plain.forward(x))).isLessThan(1e-7);
    }
  }

  @Test
  void rejectsAForeignStateAndBadSizes() {
    try (PointerScope s = new PointerScope()) {
      MemoryBlock block = new MemoryBlock(SMALL);
      assertThatThrownBy(() -> block.forward(Ops.randn(1, 1, 16), null))
          .hasMessageContaining("MemoryState");
      assertThatThrownBy(() -> new MemoryConfig(16, 2, 8, 0, 4, MemoryConfig.Rule.TITANS))
          .hasMessageContaining("positive");
      assertThatThrownBy(() -> new MemoryConfig(16, 2, 8, 4, 1, MemoryConfig.Rule.TITANS))
          .hasMessageContaining("conv kernel");
      assertThatThrownBy(() -> new MemoryConfig(16, 2, 8, 4, 4, null))
          .hasMessageContaining("TITANS or GATED_DELTA");
      assertThatThrownBy(() -> new MemoryBlock(SMALL, 1.0)).hasMessageContaining("dropout");
    }
  }
}
