package dev.strata.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoRoomTest {
  private final TwoRoomRenderer renderer = new TwoRoomRenderer(7.0);

  @Test
  void movesClampsAndClipsActions() {
    assertThat(TwoRoom.move(50, 150, 1, -1, 5)).containsExactly(55, 145);
    assertThat(TwoRoom.move(50, 150, 3, 0.5, 5))
        .containsExactly(55, 152.5); // action clipped to [−1, 1]
    assertThat(TwoRoom.move(22, 202, -1, 1, 5)).containsExactly(21, 203); // clamped to [21, 203]
  }

  @Test
  void wallStopsAnAgentOutsideTheDoor() {
    assertThat(TwoRoom.move(98, 150, 1, 0, 5))
        .containsExactly(99.5, 150); // left room, hits the wall
    assertThat(TwoRoom.move(126, 150, -1, 0, 5)).containsExactly(124.5, 150); // right room
    assertThat(TwoRoom.move(98, 49, 1, 0, 5)).containsExactly(103, 49); // in the door: passes
    assertThat(TwoRoom.move(98, 30, 1, 1, 5)).containsExactly(103, 35); // ends in the door rows
    assertThat(TwoRoom.move(98, 64.7, 1, 1, 5))
        .containsExactly(99.5, 69.7); // leaves the door rows: stopped
    assertThat(TwoRoom.move(96, 150, 1, 0, 4))
        .containsExactly(100, 150); // x' = 100 is not past the limit
  }

  @Test
  void successRadiusIsSixteenPixels() {
    assertThat(TwoRoom.reached(100, 100, 116, 100, 16)).isTrue();
    assertThat(TwoRoom.reached(100, 100, 116.01, 100, 16)).isFalse();
  }

  @Test
  void resetSamplesOppositeRoomsWithALongDoorPath() {
    TwoRoom env = new TwoRoom();
    for (int s = 0; s < 200; s++) {
      double[] q = env.reset(s);
      double[] g = env.goal();
      assertThat(q[0] < 112).isNotEqualTo(g[0] < 112);
      assertThat(g[0] >= 100 && g[0] <= 124).isFalse();
      double path = Math.hypot(q[0] - 112, q[1] - 49) + Math.hypot(g[0] - 112, g[1] - 49);
      assertThat(path / 5).isGreaterThanOrEqualTo(25);
      assertThat(q[0]).isBetween(21.0, 203.0);
    }
  }

  @Test
  void geometryOfTheBackground() {
    assertThat(renderer.background(50, 50)).isEqualTo(255); // floor
    assertThat(renderer.background(10, 50)).isEqualTo(0); // border column
    assertThat(renderer.background(14, 50)).isEqualTo(255);
    assertThat(renderer.background(50, 213)).isEqualTo(0); // border row
    assertThat(renderer.background(107, 100)).isEqualTo(0); // wall
    assertThat(renderer.background(117, 100)).isEqualTo(0);
    assertThat(renderer.background(118, 100)).isEqualTo(255);
    assertThat(renderer.background(110, 35)).isEqualTo(255); // door
    assertThat(renderer.background(110, 63)).isEqualTo(255);
    assertThat(renderer.background(110, 64)).isEqualTo(0);
  }

  @Test
  void agentIsARedGaussianBlob() {
    int n = TwoRoom.CANVAS;
    float[] img = new float[3 * n * n];
    renderer.render(60, 150, n, img, 0);
    int centre = 150 * n + 60;
    assertThat(img[centre]).isEqualTo(255); // R
    assertThat(img[n * n + centre]).isEqualTo(0); // G
    assertThat(img[2 * n * n + centre]).isEqualTo(0); // B
    // One σ away: w = e^(−1/2), G = (int)(255·(1 − w)).
    assertThat(img[n * n + centre + 7]).isEqualTo((int) (255f - 255f * (float) Math.exp(-0.5)));
    assertThat(img[n * n + centre + 60]).isEqualTo(255); // far away: floor
  }

  @Test
  void patchRenderEqualsTheBlobBlendedOverTheWholeCanvas() {
    int n = TwoRoom.CANVAS;
    SplittableRandom rng = new SplittableRandom(3);
    for (int k = 0; k < 20; k++) {
      double x = 21 + 182 * rng.nextDouble(), y = 21 + 182 * rng.nextDouble();
      float[] img = new float[3 * n * n];
      renderer.render(x, y, n, img, 0);
      int[] full = renderer.renderFullCanvas(x, y);
      for (int i = 0; i < full.length; i++)
        assertThat(img[i]).as("pixel %d at (%f, %f)", i, x, y).isEqualTo(full[i]);
    }
  }

  @Test
  void render64IsPixelIdenticalToRender224ThenAreaAverage() {
    int n = TwoRoom.CANVAS;
    SplittableRandom rng = new SplittableRandom(5);
    double[][] positions = {{21, 21}, {203, 203}, {99.5, 150}, {112, 49}, {124.5, 60}};
    for (int k = 0; k < 15; k++) {
      double x = k < positions.length ? positions[k][0] : 21 + 182 * rng.nextDouble();
      double y = k < positions.length ? positions[k][1] : 21 + 182 * rng.nextDouble();
      try (Scope s = Ops.scope()) {
        float[] big = new float[3 * n * n];
        renderer.render(x, y, n, big, 0);
        Tensor pooled = Ops.adaptiveAvgPool2d(Ops.tensor(big, 1, 3, n, n), 64, 64);
        float[] small = new float[3 * 64 * 64];
        renderer.render(x, y, 64, small, 0);
        assertThat(small).as("64×64 render at (%f, %f)", x, y).containsExactly(Ops.floats(pooled));
      }
    }
  }

  @Test
  void normalisationIsImageNets() {
    float[] v = {255f, 0f, 127.5f};
    float[] chw = new float[3];
    System.arraycopy(v, 0, chw, 0, 3);
    TwoRoomRenderer.normalize(chw, 0, 1);
    assertThat(chw[0]).isCloseTo((1 - 0.485f) / 0.229f, within(1e-6f));
    assertThat(chw[1]).isCloseTo((0 - 0.456f) / 0.224f, within(1e-6f));
  }

  @Test
  void expertReachesTheOtherRoomThroughTheDoor() {
    Trajectories data = Trajectories.collect(TwoRoomConfig.DEFAULT, 200, 20, 7);
    int crossed = 0;
    for (int e = 0; e < data.episodes(); e++) {
      int last = data.length(e);
      assertThat(last).isBetween(1, 100);
      if ((data.stateX(e, 0) < 112) != (data.stateX(e, last) < 112)) crossed++;
      for (int t = 0; t < last; t++) {
        double[] next =
            TwoRoom.move(
                data.stateX(e, t),
                data.stateY(e, t),
                data.action(e, t, 0),
                data.action(e, t, 1),
                5);
        assertThat(data.stateX(e, t + 1)).isCloseTo(next[0], within(1e-3));
        assertThat(data.stateY(e, t + 1)).isCloseTo(next[1], within(1e-3));
      }
    }
    assertThat(crossed).as("episodes that end in the other room").isGreaterThan(100);
  }
}
