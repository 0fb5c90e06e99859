package dev.strata.cli;

import static dev.strata.cli.CliTest.assertUserError;
import static dev.strata.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code strata bench sequence}: a tiny end-to-end run, and one-line errors with exit code 2 for
 * bad flags.
 */
class SequenceCliTest {
  @Test
  void badFlagsAreOneLineAndExitCode2() {
    assertUserError(run("bench", "sequence", "--task", "parity"), "unknown task 'parity'");
    assertUserError(
        run("bench", "sequence", "--task", "mqar", "--seq", "32", "--pairs", "16"),
        "MQAR sequence length 32 is shorter than the 64 tokens");
    assertUserError(
        run("bench", "sequence", "--task", "mqar", "--seq", "64"),
        "give --seq and --pairs together");
    assertUserError(
        run("bench", "sequence", "--task", "induction", "--arch", "AX"), "unknown layer 'X'");
    assertUserError(
        run("bench", "sequence", "--task", "copy", "--steps", "0"), "--steps must be positive");
    assertUserError(
        run("bench", "sequence", "--task", "decode", "--steps", "10"), "trains nothing");
    assertUserError(run("bench", "sequence"), "Missing required option: '--task");
  }

  @Test
  void aTinyMqarRunPrintsATableAndWritesJsonAndAPlot(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("sequence-mqar.json");
    CliTest.Run r =
        run(
            "bench",
            "sequence",
            "--task",
            "mqar",
            "--seq",
            "64",
            "--pairs",
            "4",
            "--arch",
            "AA",
            "--width",
            "32",
            "--steps",
            "30",
            "--batch",
            "16",
            "--test-sequences",
            "64",
            "--no-progress",
            "--out",
            json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("budget: T=64 K=4: 30 steps × batch 16")
        .contains("accuracy")
        .contains("AA d32");
    JsonNode root = JsonMapper.builder().build().readTree(json.toFile());
    assertThat(root.get("task").asString()).isEqualTo("mqar");
    JsonNode test = root.at("/runs/0/tests/0");
    assertThat(test.get("status").asString()).isEqualTo("ok");
    assertThat(test.get("accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(root.at("/runs/0/stateFloats").asLong()).isEqualTo(2L * 2 * 64 * 32);
    assertThat(dir.resolve("sequence-mqar-T64-K4.png")).exists();

    // --merge: two parts (the same file twice) make one result with both runs, without training.
    Path merged = dir.resolve("merged.json");
    CliTest.Run m =
        run(
            "bench",
            "sequence",
            "--task",
            "mqar",
            "--merge",
            json + "," + json,
            "--out",
            merged.toString());
    assertThat(m.code()).as(m.err()).isZero();
    assertThat(m.out()).doesNotContain("training");
    JsonNode mergedRoot = JsonMapper.builder().build().readTree(merged.toFile());
    assertThat(mergedRoot.get("runs")).hasSize(2);
    assertThat(mergedRoot.at("/runs/1/tests/0/accuracy").asDouble())
        .isEqualTo(test.get("accuracy").asDouble());
    // Each part's provenance survives the merge; the merged file has the merge command's own.
    assertThat(mergedRoot.at("/merged_from/0/provenance/command").asString())
        .startsWith("strata bench sequence --task mqar --seq 64")
        .endsWith(json.toString());
    assertThat(mergedRoot.at("/provenance/command").asString()).contains("--merge");
    assertThat(dir.resolve("merged-T64-K4.png")).exists();
    assertUserError(
        run("bench", "sequence", "--task", "copy", "--merge", json.toString()),
        "holds a 'mqar' result, not copy");
    assertUserError(
        run("bench", "sequence", "--task", "mqar", "--merge", dir.resolve("none.json").toString()),
        "no result file");
  }

  @Test
  void aTinyDecodeTableRuns(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("sequence-decode.json");
    CliTest.Run r =
        run(
            "bench",
            "sequence",
            "--task",
            "decode",
            "--arch",
            "AA,MM",
            "--width",
            "32",
            "--d-state",
            "8",
            "--test-lengths",
            "64,128",
            "--out",
            json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("prefill tok/s").contains("decode tok/s");
    JsonNode rows = JsonMapper.builder().build().readTree(json.toFile()).get("rows");
    assertThat(rows).hasSize(4);
    assertThat(dir.resolve("sequence-decode-memory.png")).exists();
  }
}
