package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import dev.strata.propose.ArTraining;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@code strata train expert}: each kind of bad input is one line and exit code 2. */
class ExpertCliTest {

  /** A tiny untrained proposer checkpoint of {@code task} with {@code vocab} tokens. */
  static Path proposer(Path dir, String task, int vocab) {
    LmConfig lm = new LmConfig("transformer", vocab, 16, "A", 1, 64, 16, 2, 64, 56);
    Ops.seed(1);
    String spec =
        JsonMapper.builder().build().writeValueAsString(new ArTraining.ModelSpec(task, lm, 0));
    Path run = dir.resolve(task + "-" + vocab);
    Checkpoint.save(
        run.resolve("checkpoints"),
        new CausalLm(lm),
        null,
        null,
        new Checkpoint.State(0, spec, null, 0, Map.of(), 0),
        1);
    return run;
  }

  static CliTest.Run expert(Path heldOut, Path proposer, Path out, String... more) {
    String[] base = {
      "train",
      "expert",
      "--task",
      "countdown",
      "--proposer",
      proposer.toString(),
      "--held-out",
      heldOut.toString(),
      "--out",
      out.toString(),
      "--no-progress",
      "--problems",
      "4",
      "--samples",
      "2",
      "--rounds",
      "1"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliTest.run(args);
  }

  @Test
  void badInputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path heldOut = dir.resolve("cd4.jsonl");
    Files.writeString(heldOut, "{\"input\": \"58,11,80,83,81\", \"output\": \"\"}\n");
    Path countdown = proposer(dir, "countdown", new CountdownCodec().vocab());
    Path out = dir.resolve("out");

    CliTest.assertUserError(expert(heldOut, countdown, out, "--rounds", "0"), "--rounds");
    CliTest.assertUserError(expert(heldOut, countdown, out, "--budget", "0"), "--budget");
    CliTest.assertUserError(
        expert(heldOut, proposer(dir, "sudoku", 11), out), "holds a sudoku proposer");
    CliTest.assertUserError(
        expert(heldOut, proposer(dir, "countdown", 12), out), "vocabulary of 12 tokens");
    CliTest.assertUserError(
        expert(dir.resolve("missing.jsonl"), countdown, out), "held-out file not found");
    CliTest.assertUserError(expert(heldOut, countdown, out, "--method", "supervised"), "--match");
    CliTest.assertUserError(
        expert(heldOut, countdown, out, "--method", "rloo", "--steps", "0"), "--steps");
    CliTest.assertUserError(
        expert(heldOut, countdown, out, "--method", "rloo", "--kl", "-0.1"), "--kl");
    CliTest.assertUserError(
        expert(heldOut, countdown, out, "--method", "rloo", "--batch", "0"), "--batch");
    CliTest.assertUserError(
        CliTest.run(
            "train",
            "expert",
            "--task",
            "countdown",
            "--proposer",
            countdown.toString(),
            "--held-out",
            heldOut.toString(),
            "--out",
            out.toString(),
            "--no-progress",
            "--method",
            "rloo",
            "--samples",
            "1"),
        "--samples must be ≥ 2");

    Files.createDirectories(out);
    Files.writeString(out.resolve("round-000.json"), "{\"format\": \"strata-expert-round\", \"pay");
    CliTest.assertUserError(expert(heldOut, countdown, out, "--resume"), "corrupt");
    CliTest.assertUserError(expert(heldOut, countdown, out), "--resume");
  }

  @Test
  void helpNamesTheMethodsAndSearches() {
    CliTest.Run r = CliTest.run("train", "expert", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("expert-iteration")
        .contains("supervised")
        .contains("rloo")
        .contains("best-of");
  }
}
