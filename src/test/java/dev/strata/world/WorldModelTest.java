package dev.strata.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldModelTest {
  private static int threads;
  @TempDir Path dir;

  @BeforeAll
  static void oneThread() {
    threads = Ops.threads();
    Ops.setThreads(1); // tiny ops: one thread avoids OpenMP barriers on a busy machine
  }

  @AfterAll
  static void restoreThreads() {
    Ops.setThreads(threads);
  }

  @Test
  void shapes() {
    try (Scope s = Ops.scope()) {
      Ops.seed(1);
      WorldModelConfig c = WorldModelConfig.tiny();
      WorldModel m = new WorldModel(c);
      Tensor frames = Ops.randn(4, c.clipFrames(), 3, c.imageSize(), c.imageSize());
      Tensor actions = Ops.randn(4, c.history(), c.chunkDim());
      WorldModel.Loss l = m.loss(frames, actions);
      assertThat(l.total().dim()).isZero();
      assertThat(Ops.item(l.sigreg())).isPositive();
      assertThat(Ops.shape(m.encode(frames.flatten(0, 1))))
          .containsExactly(4L * c.clipFrames(), c.embedDim());
      m.eval();
      Tensor z0 = m.encode(frames.select(1, 0)); // (4, D)
      assertThat(Ops.shape(m.rollout(z0, Ops.randn(4, 5, c.chunkDim()))))
          .containsExactly(4L, c.embedDim());
    }
  }

  @Test
  void adaLnZeroPredictorIsTheIdentityAtInit() {
    try (Scope s = Ops.scope()) {
      Ops.seed(2);
      WorldModelConfig c = WorldModelConfig.tiny();
      WorldModel m = new WorldModel(c);
      Tensor z = Ops.randn(3, c.history(), c.embedDim());
      Tensor a = Ops.randn(3, c.history(), c.embedDim());
      Tensor trunk = m.predictor.trunk(z, a);
      Tensor expected =
          m.predictor.norm.forward(z.add(m.predictor.posEmbed)); // every block passes x through
      assertThat(Ops.item(Ops.amax(trunk.sub(expected).abs(), false, 0, 1, 2))).isLessThan(1e-6);
    }
  }

  @Test
  void singleTokenAttentionShortcutEqualsFullAttention() {
    try (Scope s = Ops.scope()) {
      Ops.seed(4);
      var attn = new dev.strata.nn.VitBlock.Attention(16, 2, 8);
      Tensor x = Ops.randn(5, 1, 16);
      Tensor qkv =
          attn.qkv.forward(x).view(5, 1, 3, 2, 8).permute(2, 0, 3, 1, 4); // (3, B, H, 1, hd)
      Tensor full =
          attn.proj.forward(
              Ops.sdpa(qkv.select(0, 0), qkv.select(0, 1), qkv.select(0, 2), null, true)
                  .transpose(1, 2)
                  .reshape(5, 1, 16));
      assertThat(Ops.item(Ops.amax(attn.forward(x, true).sub(full).abs(), false, 0, 1, 2)))
          .isLessThan(1e-6);
    }
  }

  @Test
  void resumedTrainingEqualsAnUninterruptedRun() {
    Path data = dir.resolve("d.bin");
    Trajectories.collect(TwoRoomConfig.DEFAULT, 40, 8, 5).write(data);
    WorldModelConfig c = WorldModelConfig.tiny();
    WorldTraining.Options straight =
        WorldTraining.Options.of(data, c, 0, 6, 1, 4, dir.resolve("a"), false);
    WorldTraining.run(straight, false);
    WorldTraining.Options split =
        WorldTraining.Options.of(data, c, 0, 6, 1, 4, dir.resolve("b"), false);
    WorldTraining.Outcome first = WorldTraining.run(split.withStopAfter(3), false);
    assertThat(first.steps()).isEqualTo(3);
    WorldTraining.Outcome second = WorldTraining.run(split, true);
    assertThat(second.steps()).isEqualTo(6);
    try (Scope s = Ops.scope()) {
      Map<String, Tensor> a = WorldTraining.load(dir.resolve("a/checkpoints")).model().stateDict();
      Map<String, Tensor> b = WorldTraining.load(dir.resolve("b/checkpoints")).model().stateDict();
      assertThat(b.keySet()).isEqualTo(a.keySet());
      a.forEach(
          (name, t) ->
              assertThat(
                      Ops.item(
                          Ops.to(t, DType.FLOAT64)
                              .sub(Ops.to(b.get(name), DType.FLOAT64))
                              .abs()
                              .max()))
                  .as(name)
                  .isZero());
    }
    assertThatThrownBy(() -> WorldTraining.load(dir.resolve("nothing")))
        .hasMessageContaining("nothing");
  }
}
