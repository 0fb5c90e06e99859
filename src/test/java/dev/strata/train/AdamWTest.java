package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Embedding;
import dev.strata.nn.Golden;
import dev.strata.nn.LayerNorm;
import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AdamW against torch.optim.AdamW (src/test/python/golden_adamw.py), its state round trip, and
 * parameter groups.
 */
class AdamWTest {
  // The same set-up as golden_adamw.py.
  private static final int STEPS = 5;
  private static final double WD = 0.1;
  private static final double NO_DECAY_LR_SCALE = 0.5;
  private static final String[] NAMES = {"w", "b", "emb"};
  private static final long[][] SHAPES = {{4, 3}, {4}, {5, 3}};

  private static double baseLr(int t) {
    return 0.01 * (t + 1) / STEPS;
  }

  private static Map<String, Tensor> params() {
    Map<String, Tensor> p = new LinkedHashMap<>();
    for (int j = 0; j < NAMES.length; j++)
      p.put(NAMES[j], Ops.requireGrad(Golden.det(0.2 + j, 1.0, SHAPES[j])));
    return p;
  }

  private static AdamW optimizer(Map<String, Tensor> p) {
    return new AdamW(
        List.of(
            new ParamGroup(ParamGroup.DECAY, Map.of("w", p.get("w")), WD, 1.0),
            new ParamGroup(
                ParamGroup.NO_DECAY,
                Map.of("b", p.get("b"), "emb", p.get("emb")),
                0.0,
                NO_DECAY_LR_SCALE)),
        baseLr(0),
        0.9,
        0.95,
        1e-8);
  }

  /** Sets each gradient to det(1.3 + 0.1·t + j, 0.5) exactly: ∂/∂p Σ p·g = g. */
  private static void step(AdamW opt, Map<String, Tensor> p, int t) {
    try (PointerScope s = new PointerScope()) {
      Tensor loss = Ops.zeros();
      for (int j = 0; j < NAMES.length; j++) {
        Tensor g = Golden.det(1.3 + 0.1 * t + j, 0.5, SHAPES[j]);
        loss = loss.add(Ops.sum(p.get(NAMES[j]).mul(g), false));
      }
      loss.backward();
      opt.setLr(baseLr(t));
      opt.step();
      opt.zeroGrad();
    }
  }

  @Test
  void matchesTorchAdamWWithTwoGroupsAndAChangingLearningRate() {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> p = params();
      AdamW opt = optimizer(p);
      for (int t = 0; t < STEPS; t++) {
        step(opt, p, t);
        if (t == 0) for (String n : NAMES) Golden.assertMatches("adamw.step1." + n, p.get(n), 1e-6);
      }
      Map<String, Tensor> state = opt.state();
      for (String n : NAMES) {
        Golden.assertMatches("adamw.final." + n, p.get(n), 1e-6);
        Golden.assertMatches("adamw.final." + n + ".exp_avg", state.get(n + AdamW.EXP_AVG), 1e-6);
        Golden.assertMatches(
            "adamw.final." + n + ".exp_avg_sq", state.get(n + AdamW.EXP_AVG_SQ), 1e-6);
        assertThat(opt.step(n)).isEqualTo(STEPS);
      }
      opt.close();
    }
  }

  @Test
  void stateSavedMidwayThroughSafetensorsResumesExactly(@TempDir Path dir) {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> straight = params();
      AdamW a = optimizer(straight);
      for (int t = 0; t < STEPS; t++) step(a, straight, t);

      Map<String, Tensor> p = params();
      AdamW first = optimizer(p);
      for (int t = 0; t < 3; t++) step(first, p, t);
      Path file = dir.resolve("optim.safetensors");
      Safetensors.write(file, first.state(), Map.of());
      first.close();

      AdamW second = optimizer(p);
      second.loadState(Safetensors.read(file).tensors());
      assertThat(second.step("w")).isEqualTo(3);
      for (int t = 3; t < STEPS; t++) step(second, p, t);
      for (String n : NAMES)
        assertThat(Ops.floats(p.get(n))).as(n).containsExactly(Ops.floats(straight.get(n)));
      for (String n : NAMES) Golden.assertMatches("adamw.final." + n, p.get(n), 1e-6);
    }
  }

  @Test
  void loadStateRejectsUnknownParametersAndWrongShapes() {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> p = params();
      AdamW opt = optimizer(p);
      assertThatThrownBy(
              () ->
                  opt.loadState(
                      Map.of(
                          "nope.step",
                          Ops.tensor(new long[] {1}),
                          "nope.exp_avg",
                          Ops.zeros(2),
                          "nope.exp_avg_sq",
                          Ops.zeros(2))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope.step");
      assertThatThrownBy(
              () ->
                  opt.loadState(
                      Map.of(
                          "b.step",
                          Ops.tensor(new long[] {1}),
                          "b.exp_avg",
                          Ops.zeros(7),
                          "b.exp_avg_sq",
                          Ops.zeros(4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("b.exp_avg")
          .hasMessageContaining("[7]");
      assertThatThrownBy(() -> opt.loadState(Map.of("b.exp_avg", Ops.zeros(4))))
          .hasMessageContaining("incomplete");
    }
  }

  @Test
  void parametersWithoutGradientsAreSkipped() {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> p = params();
      AdamW opt = optimizer(p);
      float[] before = Ops.floats(p.get("emb"));
      Ops.sum(p.get("w"), false).backward(); // only w gets a gradient
      opt.step();
      assertThat(Ops.floats(p.get("emb"))).containsExactly(before);
      assertThat(opt.step("emb")).isZero();
      assertThat(opt.step("w")).isEqualTo(1);
      assertThat(opt.state()).containsOnlyKeys("w.step", "w.exp_avg", "w.exp_avg_sq");
    }
  }

  /** A GPT-shaped toy: token table, raw positional table, a block with norm and projections. */
  static final class Toy extends Module {
    final Embedding tok = child("tok", new Embedding(10, 4));
    final Tensor posEmb = param("pos_emb", Ops.zeros(6, 4));
    final LayerNorm ln = child("ln", new LayerNorm(4));
    final Linear embedProj = child("embed_proj", new Linear(4, 4));
    final Linear head = child("head", new Linear(4, 10, false));
  }

  @Test
  void standardGroupsDecayOnlyMatrices() {
    try (PointerScope s = new PointerScope()) {
      List<ParamGroup> groups = ParamGroup.standard(new Toy(), 0.1);
      assertThat(groups)
          .extracting(ParamGroup::name)
          .containsExactly(ParamGroup.DECAY, ParamGroup.NO_DECAY);
      assertThat(groups.get(0).params().keySet())
          .containsExactly("embed_proj.weight", "head.weight");
      assertThat(groups.get(0).weightDecay()).isEqualTo(0.1);
      assertThat(groups.get(1).params().keySet())
          .containsExactly(
              "pos_emb",
              "tok.weight",
              "ln.weight",
              "ln.bias",
              "embed_proj.bias"); // own parameters first, as in PyTorch
      assertThat(groups.get(1).weightDecay()).isZero();
      assertThatThrownBy(() -> new AdamW(List.of(groups.get(0), groups.get(0)), 1e-3))
          .hasMessageContaining("embed_proj.weight")
          .hasMessageContaining("both");
    }
  }
}
