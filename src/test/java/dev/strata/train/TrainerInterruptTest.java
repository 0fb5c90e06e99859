package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real signal: a child JVM that is training gets SIGTERM, finishes its step, checkpoints, and
 * exits.
 */
class TrainerInterruptTest {
  @TempDir Path dir;

  @Test
  void sigtermFinishesTheStepWritesACheckpointAndExits() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Dorg.bytedeco.openblas.load=mkl_rt",
                "-cp",
                System.getProperty("java.class.path"),
                InterruptibleRun.class.getName(),
                dir.toString())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("step 30")) {
        // wait until it is well into training
      }
      assertThat(line)
          .as("child output; stderr: %s", Files.readString(dir.resolve("stderr.txt")))
          .isEqualTo("step 30");
      child.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks completed
    assertThat(Files.readString(dir.resolve("stderr.txt")))
        .contains("interrupted: finishing the current step");

    Checkpoint.State state = Checkpoint.readState(dir);
    List<Map<String, Object>> metrics = MetricsLog.read(dir.resolve("metrics.jsonl"));
    assertThat(state.step()).isGreaterThanOrEqualTo(30);
    assertThat(metrics.getLast().get("step"))
        .as("checkpoint taken after the last logged step")
        .isEqualTo(state.step());
  }
}
