package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diffusion proposer on the reasoning commands: trained and benched by name, wrong checkpoints
 * refused in one line.
 */
class DiffusionReasoningCliTest {

  @Test
  void trainsACountdownDiffusionProposerAndRefusesToMixProposerKinds(@TempDir Path dir) {
    Path diffusion = dir.resolve("cd-diffusion");
    CliTest.Run t =
        CliTest.run(
            "train",
            "reasoning",
            "--task",
            "countdown-diffusion",
            "--steps",
            "2",
            "--batch",
            "4",
            "--width",
            "32",
            "--layers",
            "1",
            "--eval-every",
            "2",
            "--token-reweighting",
            "2",
            "--out",
            diffusion.toString(),
            "--no-progress");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out())
        .contains("countdown-diffusion proposer")
        .contains("MGDM token re-weighting γ=2.0")
        .contains("validation masked-token accuracy")
        .contains("checkpoint:");
    Path ar = dir.resolve("cd-ar");
    CliTest.Run a =
        CliTest.run(
            "train",
            "reasoning",
            "--task",
            "countdown",
            "--steps",
            "1",
            "--batch",
            "4",
            "--width",
            "32",
            "--layers",
            "1",
            "--eval-every",
            "1",
            "--out",
            ar.toString(),
            "--no-progress");
    assertThat(a.code()).as(a.err()).isZero();
    CliTest.assertUserError(
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "countdown",
            "--proposer",
            "diffusion",
            "--checkpoint",
            ar.toString()),
        "holds an autoregressive proposer");
    CliTest.assertUserError(
        CliTest.run(
            "bench", "reasoning", "--task", "countdown", "--checkpoint", diffusion.toString()),
        "holds a masked-diffusion proposer");
    CliTest.assertUserError(
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "sudoku",
            "--proposer",
            "diffusion",
            "--checkpoint",
            diffusion.toString()),
        "holds a countdown diffusion proposer, not sudoku");
    CliTest.assertUserError(
        CliTest.run("bench", "reasoning", "--task", "sudoku", "--proposer", "gpt"),
        "unknown proposer 'gpt'");
    CliTest.assertUserError(
        CliTest.run("bench", "reasoning", "--task", "pathstar", "--proposer", "diffusion"),
        "supports sudoku and countdown");
    CliTest.assertUserError(
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "sudoku",
            "--proposer",
            "diffusion",
            "--checkpoint",
            dir.resolve("none").toString()),
        "task sudoku-diffusion");
  }
}
