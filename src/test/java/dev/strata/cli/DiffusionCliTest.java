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

/**
 * {@code train diffusion} and {@code sample} from a diffusion checkpoint: a tiny round trip and the
 * one-line errors.
 */
class DiffusionCliTest {

  @Test
  void trainDiffusionThenSampleWithEverySamplerAndRefuseBadInput(@TempDir Path dir)
      throws IOException {
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "To be, or not to be, that is the question.\n".repeat(100));
    Path run = dir.resolve("diffusion");
    Run train =
        run(
            "train",
            "diffusion",
            "--data",
            text.toString(),
            "--steps",
            "3",
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
            "3",
            "--out",
            run.toString(),
            "--no-progress");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("3 steps").contains("validation NELBO");
    assertThat(run.resolve("loss.png")).exists();
    Run resumed =
        run(
            "train",
            "diffusion",
            "--data",
            text.toString(),
            "--steps",
            "3",
            "--out",
            run.toString(),
            "--resume",
            "--no-progress");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out())
        .contains("3 steps"); // the planned steps were done: nothing more to train
    Path ar = dir.resolve("ar");
    Run trainAr =
        run(
            "train",
            "lm",
            "--data",
            text.toString(),
            "--arch",
            "transformer",
            "--steps",
            "2",
            "--batch",
            "2",
            "--context",
            "16",
            "--eval-every",
            "2",
            "--out",
            ar.toString(),
            "--no-progress");
    assertThat(trainAr.code()).as(trainAr.err()).isZero();

    Path png = dir.resolve("order.png");
    for (String sampler : new String[] {"ancestral", "llada", "edit", "edlm"}) {
      Run r =
          run(
              "sample",
              "--checkpoint",
              run.toString(),
              "--sampler",
              sampler,
              "--steps",
              "4",
              "--tokens",
              "14",
              "--prompt",
              "To",
              "--block",
              "8",
              "--samples",
              "2",
              "--ar-checkpoint",
              ar.toString(),
              "--order-png",
              png.toString());
      assertThat(r.code()).as(sampler + ": " + r.err()).isZero();
      assertThat(r.out())
          .startsWith("To")
          .hasSize(2 * (16 + System.lineSeparator().length())); // two samples of 16 characters
      assertThat(r.err()).contains(sampler).contains("denoiser forwards");
      if (sampler.equals("edlm")) assertThat(r.err()).doesNotContain(" 0 AR forwards");
    }
    assertThat(Files.size(png)).isPositive();

    String ck = run.toString();
    assertUserError(
        run("sample", "--checkpoint", ck, "--steps", "0"), "--steps must be at least 1");
    assertUserError(
        run("sample", "--checkpoint", ck, "--tokens", "14", "--prompt", "To", "--block", "5"),
        "--block 5 does not divide the sequence length 16");
    assertUserError(
        run("sample", "--checkpoint", ck, "--sampler", "gibbs"), "unknown sampler 'gibbs'");
    assertUserError(
        run("sample", "--checkpoint", ck, "--sampler", "edlm"), "needs --ar-checkpoint");
    assertUserError(
        run(
            "sample",
            "--checkpoint",
            ck,
            "--sampler",
            "llada",
            "--steps",
            "1",
            "--tokens",
            "14",
            "--prompt",
            "To",
            "--block",
            "4"),
        "1 steps cannot cover 4 blocks");

    Path other = dir.resolve("other.txt");
    Files.writeString(other, "abc abc abcd, dcba!\n".repeat(100));
    Path otherAr = dir.resolve("other-ar");
    Run trainOther =
        run(
            "train",
            "lm",
            "--data",
            other.toString(),
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
            "--out",
            otherAr.toString(),
            "--no-progress");
    assertThat(trainOther.code()).as(trainOther.err()).isZero();
    assertUserError(
        run(
            "sample",
            "--checkpoint",
            ck,
            "--sampler",
            "edlm",
            "--ar-checkpoint",
            otherAr.toString()),
        "differs from the diffusion model's");
  }
}
