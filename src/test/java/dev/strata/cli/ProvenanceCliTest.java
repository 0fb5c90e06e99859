package dev.strata.cli;

import static dev.strata.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import dev.strata.train.Checkpoint;
import dev.strata.train.GitRevision;
import dev.strata.train.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a user can re-check: checkpoints and bench results name their command, data and engine. */
class ProvenanceCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aTinyTrainingsCheckpointCarriesCommandDataThreadsAndCommit(@TempDir Path dir)
      throws Exception {
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "To be, or not to be, that is the question.\n".repeat(100));
    Path out = dir.resolve("run");
    String[] args = {
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
      out.toString(),
      "--no-progress"
    };
    CliTest.Run r = run(args);
    assertThat(r.code()).as(r.err()).isZero();

    Path ckpt = Checkpoint.resolve(out.resolve("checkpoints"));
    JsonNode p = JSON.readTree(ckpt.resolve(Checkpoint.STATE_FILE).toFile()).get("provenance");
    assertThat(p).as("state.json has a provenance block").isNotNull();
    assertThat(p.get("command").asString()).isEqualTo("strata " + String.join(" ", args));
    assertThat(p.get("threads").asInt()).isEqualTo(Ops.threads());
    assertThat(p.get("strata").asString()).isEqualTo(Provenance.STRATA_VERSION);
    assertThat(p.get("gitCommit").asString())
        .isEqualTo(GitRevision.of(Path.of("")).commit())
        .isNotBlank();
    JsonNode input = p.get("inputs").get(0);
    assertThat(input.get("path").asString()).isEqualTo(text.toString());
    assertThat(input.get("sha256").asString()).isEqualTo(sha256(text));
    assertThat(p.get("blas").asString()).isNotBlank();
  }

  @Test
  void aBenchJsonCarriesProvenance(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("decode.json");
    String[] args = {
      "bench",
      "sequence",
      "--task",
      "decode",
      "--arch",
      "AA",
      "--width",
      "32",
      "--test-lengths",
      "64",
      "--out",
      json.toString()
    };
    CliTest.Run r = run(args);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode p = JSON.readTree(json.toFile()).get("provenance");
    assertThat(p).as("the bench JSON has a provenance block").isNotNull();
    assertThat(p.get("command").asString()).isEqualTo("strata " + String.join(" ", args));
    assertThat(p.get("threads").asInt()).isEqualTo(Ops.threads());
    assertThat(p.get("libtorch").asString()).matches("\\d+\\.\\d+.*");
    assertThat(p.get("inputs")).isEmpty(); // it reads no file
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
