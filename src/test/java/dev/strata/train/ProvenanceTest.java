package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Provenance: git state from .git files, inputs with their digests, the command, and its place in
 * checkpoints and result JSON (older checkpoints without it still load).
 */
class ProvenanceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String A = "0123456789abcdef0123456789abcdef01234567";
  private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void outsideAGitCheckoutEverythingGitIsUnknown() {
    GitRevision g = GitRevision.of(dir);
    assertThat(g.commit()).isEqualTo("unknown");
    assertThat(g.tree()).isEqualTo("unknown");
  }

  @Test
  void commitIsReadFromLooseAndPackedRefsAndWorktreeFiles() throws IOException {
    Path git = Files.createDirectories(dir.resolve("repo/.git"));
    Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(
        git.resolve("packed-refs"),
        "# pack-refs with: peeled fully-peeled sorted\n" + A + " refs/heads/main\n");
    assertThat(GitRevision.readCommit(git)).isEqualTo(A);
    Files.createDirectories(git.resolve("refs/heads"));
    Files.writeString(git.resolve("refs/heads/main"), B + "\n"); // a loose ref wins over packed
    assertThat(GitRevision.readCommit(git)).isEqualTo(B);

    // A worktree: .git is a file naming a private git dir, whose commondir is the main one.
    Path wtGit = Files.createDirectories(git.resolve("worktrees/wt"));
    Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(wtGit.resolve("commondir"), "../..\n");
    Path wt = Files.createDirectories(dir.resolve("wt"));
    Files.writeString(wt.resolve(".git"), "gitdir: " + wtGit + "\n");
    assertThat(GitRevision.readCommit(wt.resolve(".git"))).isEqualTo(B);

    Files.writeString(wtGit.resolve("HEAD"), A + "\n"); // detached
    assertThat(GitRevision.readCommit(wt.resolve(".git"))).isEqualTo(A);
    // A directory below the checkout finds it by searching upwards.
    assertThat(GitRevision.of(Files.createDirectories(wt.resolve("src/x"))).commit()).isEqualTo(A);

    Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/gone\n");
    assertThat(GitRevision.readCommit(wt.resolve(".git"))).isNull();
  }

  @Test
  void commandIsShellQuotedAndInputsAreHashedOncePerCommand() throws Exception {
    Path data = dir.resolve("data.txt");
    Files.writeString(data, "some data\n");
    Provenance.startCommand("train", "lm", "--data", data.toString(), "--prompt", "it's x");
    Provenance.noteInput(data);
    Provenance.noteInput(dir.resolve("./data.txt")); // the same file: recorded once
    Provenance p = Provenance.current();
    assertThat(p.command()).isEqualTo("strata train lm --data " + data + " --prompt 'it'\\''s x'");
    assertThat(p.inputs()).containsExactly(new Provenance.Input(data.toString(), 10, sha256(data)));
    assertThat(p.threads()).isEqualTo(Ops.threads());
    assertThat(p.strata()).isEqualTo(Provenance.STRATA_VERSION);
    assertThat(p.libtorch()).matches("\\d+\\.\\d+.*");
    assertThat(p.javacpp()).matches("\\d+\\.\\d+.*");

    Provenance.startCommand("version"); // a new command forgets the old inputs
    assertThat(Provenance.current().inputs()).isEmpty();
    assertThat(Provenance.current().command()).isEqualTo("strata version");
  }

  @Test
  void strataVersionIsThePomVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>strata</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();
    assertThat(Provenance.STRATA_VERSION).isEqualTo(m.group(1));
  }

  @Test
  void resultJsonAppendsProvenanceAndRefusesNonObjects() throws IOException {
    Provenance.startCommand("bench", "x");
    Path file = dir.resolve("out/r.json");
    ResultJson.write(file, Map.of("accuracy", 0.5));
    JsonNode n = JSON.readTree(file.toFile());
    assertThat(n.get("accuracy").asDouble()).isEqualTo(0.5);
    assertThat(n.get("provenance").get("command").asString()).isEqualTo("strata bench x");
    assertThat(n.get("provenance").get("threads").asInt()).isEqualTo(Ops.threads());
    assertThatThrownBy(() -> ResultJson.write(dir.resolve("l.json"), List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is an object");
  }

  @Test
  void checkpointsCarryProvenanceAndOlderOnesWithoutItStillLoad() throws Exception {
    Provenance.startCommand("train", "tiny");
    TinyRegression t = new TinyRegression(1);
    Path saved;
    try (PointerScope s = new PointerScope()) {
      saved =
          Checkpoint.save(
              dir, t.model, t.optimizer, null, new Checkpoint.State(3, null, null, 0, null, 1), 0);
    }
    Path stateFile = saved.resolve(Checkpoint.STATE_FILE);
    ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
    assertThat(state.get("provenance").get("command").asString()).isEqualTo("strata train tiny");

    // Loading a checkpoint records its weights as an input of the command that loads it.
    Provenance.startCommand("sample");
    Checkpoint.readState(saved);
    Path model = saved.resolve(Checkpoint.MODEL_FILE);
    assertThat(Provenance.current().inputs())
        .containsExactly(new Provenance.Input(model.toString(), Files.size(model), sha256(model)));

    // The same checkpoint as written before provenance existed: no block, manifest to match.
    state.remove("provenance");
    Files.write(stateFile, JSON.writeValueAsBytes(state));
    Path manifestFile = saved.resolve(Checkpoint.MANIFEST_FILE);
    ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
    ((ObjectNode) manifest.get("files").get(Checkpoint.STATE_FILE))
        .put("bytes", Files.size(stateFile))
        .put("sha256", sha256(stateFile));
    Files.write(manifestFile, JSON.writeValueAsBytes(manifest));
    assertThat(new String(Files.readAllBytes(stateFile), StandardCharsets.UTF_8))
        .doesNotContain("provenance");
    TinyRegression u = new TinyRegression(2);
    assertThat(Checkpoint.restore(saved, u.model, u.optimizer, null).step()).isEqualTo(3);
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
