package dev.strata.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoriesTest {
  @TempDir Path dir;

  @Test
  void roundTrip() {
    Trajectories a = Trajectories.collect(TwoRoomConfig.DEFAULT, 30, 5, 11);
    Path f = dir.resolve("d.bin");
    a.write(f);
    Trajectories b = Trajectories.read(f, TwoRoomConfig.DEFAULT);
    assertThat(b.episodes()).isEqualTo(30);
    assertThat(b.heldOut).isEqualTo(5);
    assertThat(b.trainEpisodes()).isEqualTo(25);
    assertThat(b.seed).isEqualTo(11);
    assertThat(b.steps()).isEqualTo(a.steps());
    for (int e = 0; e < 30; e++) {
      assertThat(b.length(e)).isEqualTo(a.length(e));
      for (int t = 0; t <= a.length(e); t++) assertThat(b.stateX(e, t)).isEqualTo(a.stateX(e, t));
      for (int t = 0; t < a.length(e); t++)
        assertThat(b.action(e, t, 1)).isEqualTo(a.action(e, t, 1));
    }
  }

  @Test
  void checksumIsTheFilesSha256AndSeesTheHeldOutCount() throws Exception {
    Trajectories a = Trajectories.collect(TwoRoomConfig.DEFAULT, 12, 2, 5);
    Path f = dir.resolve("c.bin");
    a.write(f);
    String fileSha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    assertThat(a.sha256()).isEqualTo(fileSha);
    assertThat(Trajectories.read(f).sha256()).isEqualTo(fileSha);
    // the same episodes with another held-out split are another dataset
    assertThat(Trajectories.collect(TwoRoomConfig.DEFAULT, 12, 3, 5).sha256())
        .isNotEqualTo(fileSha);
  }

  @Test
  void aModelIsOnlyCheckedAgainstTheFileItWasTrainedOn() {
    Trajectories data = Trajectories.collect(TwoRoomConfig.DEFAULT, 12, 2, 5);
    Path f = dir.resolve("d.bin");
    var spec =
        new WorldTraining.ModelSpec(
            WorldModelConfig.tiny(), 3, 5, 12, TwoRoomConfig.DEFAULT, data.sha256());
    spec.requireTrainedOn(data, f); // the same data: accepted
    Trajectories resplit = Trajectories.collect(TwoRoomConfig.DEFAULT, 12, 4, 5);
    assertThatThrownBy(() -> spec.requireTrainedOn(resplit, f))
        .hasMessageContaining("another dataset")
        .hasMessageContaining("4 held out");
    var legacy =
        new WorldTraining.ModelSpec(WorldModelConfig.tiny(), 3, 5, 12, TwoRoomConfig.DEFAULT, null);
    assertThatThrownBy(() -> legacy.requireTrainedOn(data, f))
        .hasMessageContaining("no dataset checksum")
        .hasMessageContaining("strata world train");
  }

  @Test
  void collectionIsDeterministic() {
    Trajectories a = Trajectories.collect(TwoRoomConfig.DEFAULT, 10, 2, 3);
    Trajectories b = Trajectories.collect(TwoRoomConfig.DEFAULT, 10, 2, 3);
    assertThat(a.stateY(9, a.length(9))).isEqualTo(b.stateY(9, b.length(9)));
  }

  @Test
  void refusesTruncatedCorruptAndForeignFiles() throws IOException {
    Path f = dir.resolve("d.bin");
    Trajectories.collect(TwoRoomConfig.DEFAULT, 20, 4, 1).write(f);
    byte[] good = Files.readAllBytes(f);

    Path cut = dir.resolve("cut.bin");
    Files.write(cut, Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> Trajectories.read(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    Files.write(cut, Arrays.copyOf(good, 20));
    assertThatThrownBy(() -> Trajectories.read(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");

    Path bad = dir.resolve("bad.bin");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(bad, flipped);
    assertThatThrownBy(() -> Trajectories.read(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checksum");

    Path foreign = dir.resolve("foreign.bin");
    Files.writeString(foreign, "hello, this is not a dataset at all");
    assertThatThrownBy(() -> Trajectories.read(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");

    TwoRoomConfig other = new TwoRoomConfig("two-room", 4.0, 7.0, 16.0, 100, 2.0, 10.5, 25.0);
    Path f2 = dir.resolve("other.bin");
    Trajectories.collect(other, 5, 1, 1).write(f2);
    assertThatThrownBy(() -> Trajectories.read(f2, TwoRoomConfig.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another environment configuration");

    assertThatThrownBy(() -> Trajectories.read(dir.resolve("missing.bin")))
        .hasMessageContaining("strata world collect");
  }
}
