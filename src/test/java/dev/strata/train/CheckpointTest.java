package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic checkpoint directories: round trip, latest pointer, pruning, and refusal of damaged files.
 */
class CheckpointTest {
  @TempDir Path root;

  private static Checkpoint.State state(long step) {
    return new Checkpoint.State(
        step, "{\"arch\":\"mlp\",\"width\":16}", Ops.rngState(), 1234, Map.of("loss", 0.5), 1.5);
  }

  /** A trained-for-a-few-steps model (so optimizer state exists) saved at {@code step}. */
  private Path saveTrained(TinyRegression t, long step, int keep) {
    try (PointerScope s = new PointerScope()) {
      for (int i = 0; i < 2; i++) {
        t.loss(i).backward();
        t.optimizer.step();
        t.optimizer.zeroGrad();
      }
      return Checkpoint.save(root, t.model, t.optimizer, null, state(step), keep);
    }
  }

  @Test
  void roundTripRestoresModelOptimizerAndState() {
    TinyRegression a = new TinyRegression(1);
    Path dir = saveTrained(a, 7, 3);
    assertThat(dir.getFileName().toString()).isEqualTo("step-00000007");
    assertThat(dir)
        .isDirectoryContaining(p -> p.getFileName().toString().equals(Checkpoint.MANIFEST_FILE));

    TinyRegression b = new TinyRegression(2);
    Checkpoint.State s = Checkpoint.restore(root, b.model, b.optimizer, null);
    assertThat(s.step()).isEqualTo(7);
    assertThat(s.modelConfig()).isEqualTo("{\"arch\":\"mlp\",\"width\":16}");
    assertThat(s.samplerState()).isEqualTo(1234);
    assertThat(s.metrics()).containsEntry("loss", 0.5);
    assertThat(s.elapsedSeconds()).isEqualTo(1.5);
    assertThat(s.rngState()).hasSizeGreaterThan(1000);
    for (int i = 0; i < a.parameters().size(); i++)
      assertThat(b.parameters().get(i)).containsExactly(a.parameters().get(i));
    try (PointerScope sc = new PointerScope()) {
      a.optimizer
          .state()
          .forEach(
              (k, v) ->
                  assertThat(Ops.doubles(b.optimizer.state().get(k)))
                      .as(k)
                      .containsExactly(Ops.doubles(v)));
    }
  }

  @Test
  void rngStateRoundTripReproducesTheRandomStream() {
    try (PointerScope s = new PointerScope()) {
      Ops.seed(5);
      Ops.randn(3); // leave a cached normal sample in the generator
      byte[] saved = Ops.rngState();
      float[] expected = Ops.floats(Ops.randn(5));
      Ops.seed(99);
      Ops.setRngState(saved);
      assertThat(Ops.floats(Ops.randn(5))).containsExactly(expected);
    }
  }

  @Test
  void latestPointsAtTheNewestAndOldCheckpointsArePruned() throws IOException {
    TinyRegression t = new TinyRegression(1);
    for (long step : new long[] {10, 20, 30}) saveTrained(t, step, 2);
    assertThat(Files.readString(root.resolve(Checkpoint.LATEST_FILE)).strip())
        .isEqualTo("step-00000030");
    assertThat(Checkpoint.stepDirs(root))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("step-00000020", "step-00000030");
    assertThat(Checkpoint.resolve(root)).isEqualTo(root.resolve("step-00000030"));
    try (var files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
    }
    // Saving the same step again replaces it in place.
    saveTrained(t, 30, 2);
    assertThat(Checkpoint.readState(root).step()).isEqualTo(30);
  }

  @Test
  void aFlippedByteIsRefusedWithAClearMessage() throws IOException {
    Path dir = saveTrained(new TinyRegression(1), 5, 3);
    Path model = dir.resolve(Checkpoint.MODEL_FILE);
    try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
      long pos = f.length() - 10; // inside the tensor data, where only the checksum can notice
      f.seek(pos);
      int b = f.read();
      f.seek(pos);
      f.write(b ^ 0x01);
    }
    TinyRegression fresh = new TinyRegression(2);
    assertThatThrownBy(() -> Checkpoint.restore(root, fresh.model, fresh.optimizer, null))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(model.toString())
        .hasMessageContaining("corrupt checkpoint file: its SHA-256")
        .hasMessageContaining("resume from an earlier checkpoint")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aTruncatedFileIsRefusedWithAClearMessage() throws IOException {
    Path dir = saveTrained(new TinyRegression(1), 5, 3);
    Path opt = dir.resolve(Checkpoint.OPTIMIZER_FILE);
    long size = Files.size(opt);
    try (RandomAccessFile f = new RandomAccessFile(opt.toFile(), "rw")) {
      f.setLength(size - 100);
    }
    assertThatThrownBy(() -> Checkpoint.load(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            opt
                + ": truncated checkpoint file: "
                + (size - 100)
                + " bytes, but "
                + size
                + " were written — resume from an earlier checkpoint in "
                + root.toAbsolutePath()
                + " or delete "
                + dir);
  }

  @Test
  void aCheckpointWithoutManifestIsIncomplete() throws IOException {
    Path dir = saveTrained(new TinyRegression(1), 5, 3);
    Files.delete(dir.resolve(Checkpoint.MANIFEST_FILE));
    assertThatThrownBy(() -> Checkpoint.verify(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("incomplete checkpoint: manifest.json is missing");
    assertThatThrownBy(() -> Checkpoint.load(root))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("holds no complete checkpoint");
  }

  @Test
  void aModelThatDoesNotFitIsRefusedNamingTheEntry() {
    saveTrained(new TinyRegression(1), 5, 3);
    class Other extends dev.strata.nn.Module {
      final dev.strata.nn.Linear fc1 = child("fc1", new dev.strata.nn.Linear(4, 8));
    }
    assertThatThrownBy(() -> Checkpoint.loadModel(root, new Other()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not fit")
        .hasMessageContaining("fc2.weight");
  }
}
