package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user meets it: mistakes give one line and exit code 2; a tiny train → sample round
 * trip works.
 */
class CliTest {
  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static void assertUserError(Run r, String fragment) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(Main.USAGE);
    assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("strata: ")
        .contains(fragment)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void missingDataFileIsOneLineAndExitCode2() {
    assertUserError(
        run("train", "lm", "--data", "no/such/file.txt"), "data file not found: no/such/file.txt");
  }

  @Test
  void unknownArchitectureIsOneLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "hello world. ".repeat(200));
    assertUserError(
        run("train", "lm", "--data", text.toString(), "--arch", "rnn"),
        "unknown architecture 'rnn'");
  }

  @Test
  void badNumberIsOneLineAndExitCode2() {
    assertUserError(run("train", "lm", "--data", "x", "--steps", "many"), "'many' is not a long");
    assertUserError(run("bench", "substrate", "--archs", "lstm"), "unknown architecture 'lstm'");
  }

  @Test
  void missingCheckpointIsOneLineAndExitCode2(@TempDir Path dir) {
    Run r = run("sample", "--checkpoint", dir.resolve("nothing").toString());
    assertUserError(r, "nothing");
  }

  @Test
  void trainThenSampleRoundTripAndCorruptCheckpointIsRefused(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "To be, or not to be, that is the question.\n".repeat(100));
    Path out = dir.resolve("run");
    Run train =
        run(
            "train",
            "lm",
            "--data",
            text.toString(),
            "--arch",
            "hybrid",
            "--steps",
            "3",
            "--batch",
            "2",
            "--context",
            "16",
            "--eval-every",
            "3",
            "--out",
            out.toString(),
            "--no-progress");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("3 steps").contains("validation loss");
    assertThat(out.resolve("metrics.jsonl")).exists();
    assertThat(out.resolve("loss.png")).exists();

    Run sample =
        run("sample", "--checkpoint", out.toString(), "--prompt", "To be", "--tokens", "20");
    assertThat(sample.code()).as(sample.err()).isZero();
    assertThat(sample.out()).startsWith("To be").hasSizeGreaterThanOrEqualTo(25);

    Run badPrompt = run("sample", "--checkpoint", out.toString(), "--prompt", "Zebra");
    assertUserError(badPrompt, "'Z'");

    Path weights;
    try (Stream<Path> files = Files.walk(out.resolve("checkpoints"))) {
      weights =
          files
              .filter(p -> p.getFileName().toString().equals("model.safetensors"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 3] ^= 0x5A; // flip bits in the last tensor
    Files.write(weights, bytes);
    assertUserError(run("sample", "--checkpoint", out.toString()), "corrupt");
  }
}
