package dev.strata.cli;

import static dev.strata.cli.CliTest.assertUserError;
import static dev.strata.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench diffusion}: a tiny run end to end (table, JSON, PNG) and its one-line refusals. */
class BenchDiffusionCliTest {

  @Test
  void tinyBenchWritesTableJsonAndPlotAndRefusesBadInput(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "To be, or not to be,\nthat is the question.\n".repeat(60));
    Path dif = dir.resolve("dif");
    Run train =
        run(
            "train",
            "diffusion",
            "--data",
            text.toString(),
            "--steps",
            "2",
            "--batch",
            "2",
            "--context",
            "16",
            "--width",
            "32",
            "--depth",
            "1",
            "--heads",
            "2",
            "--edit-fraction",
            "0.1",
            "--eval-every",
            "2",
            "--out",
            dif.toString(),
            "--no-progress");
    assertThat(train.code()).as(train.err()).isZero();
    Path ar = dir.resolve("ar");
    Path judge = dir.resolve("judge");
    for (String[] a : new String[][] {{ar.toString(), "1"}, {judge.toString(), "2"}}) {
      Run r =
          run(
              "train",
              "lm",
              "--data",
              text.toString(),
              "--arch",
              "transformer",
              "--steps",
              "1",
              "--batch",
              "2",
              "--context",
              "16",
              "--eval-every",
              "1",
              "--seed",
              a[1],
              "--out",
              a[0],
              "--no-progress");
      assertThat(r.code()).as(r.err()).isZero();
    }

    Path json = dir.resolve("bench/diffusion.json");
    String[] base = {
      "bench",
      "diffusion",
      "--checkpoint",
      dif.toString(),
      "--ar-checkpoint",
      ar.toString(),
      "--data",
      text.toString(),
      "--samples",
      "2",
      "--tokens-per-forward",
      "1,4",
      "--candidates",
      "2",
      "--eval-batches",
      "1",
      "--out",
      json.toString()
    };
    Run bench = run(concat(base, "--judge", judge.toString(), "--length", "16", "--block", "8"));
    assertThat(bench.code()).as(bench.err()).isZero();
    assertThat(bench.out())
        .contains("real text")
        .contains("AR ancestral")
        .contains("llada")
        .contains("edlm")
        .contains("price: diffusion NELBO")
        .contains("at 4 tokens/forward the best sampler is");
    assertThat(bench.err()).contains("[10/10]");
    assertThat(Files.readString(json)).contains("\"judgeNll\"").contains("\"diffusion_steps\" : 2");
    assertThat(Files.size(dir.resolve("bench/diffusion.png"))).isPositive();

    assertUserError(
        run(concat(base, "--judge", ar.toString(), "--length", "16")),
        "is the same model as --ar-checkpoint");
    assertUserError(
        run(concat(base, "--judge", dif.toString(), "--length", "16")),
        "is a masked-diffusion checkpoint");
    assertUserError(
        run(concat(base, "--judge", judge.toString(), "--length", "16", "--block", "5")),
        "--block 5 does not divide the sample length 16");
    assertUserError(
        run(concat(base, "--judge", judge.toString(), "--length", "32")),
        "exceeds the diffusion model's context of 16");
    assertUserError(
        run(concat(base, "--judge", judge.toString(), "--length", "16", "--samplers", "gibbs")),
        "unknown sampler 'gibbs'");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
