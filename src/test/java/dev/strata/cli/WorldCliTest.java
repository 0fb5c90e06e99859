package dev.strata.cli;

import static dev.strata.cli.CliTest.assertUserError;
import static dev.strata.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata world …}: a tiny collect → train → eval round trip, and one-line refusals. */
class WorldCliTest {
  @Test
  void evalWithoutACheckpointSaysHowToTrainOne(@TempDir Path dir) {
    assertUserError(
        run("world", "eval", "--run", dir.resolve("none").toString()), "strata world train");
  }

  @Test
  void unknownConfigurationIsRefused() {
    assertUserError(
        run("world", "train", "--config", "huge", "--steps", "1"),
        "unknown world-model configuration 'huge'");
  }

  /** {@code strata world collect} of 60 episodes, {@code heldOut} of them held out. */
  private static void collect(Path out, String heldOut, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "world",
                "collect",
                "--episodes",
                "60",
                "--held-out",
                heldOut,
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    CliTest.Run r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void collectTrainEvalRoundTripAndRefusals(@TempDir Path dir) throws IOException {
    int threads = Ops.threads();
    Ops.setThreads(1);
    try {
      Path data = dir.resolve("d.bin");
      Path runDir = dir.resolve("run");
      collect(data, "10");
      CliTest.Run train =
          run(
              "world",
              "train",
              "--data",
              data.toString(),
              "--config",
              "tiny",
              "--steps",
              "3",
              "--out",
              runDir.toString(),
              "--no-progress");
      assertThat(train.code()).as(train.err()).isZero();
      assertThat(train.out()).contains("3 steps");
      CliTest.Run eval =
          run(
              "world",
              "eval",
              "--run",
              runDir.toString(),
              "--data",
              data.toString(),
              "--episodes",
              "2",
              "--samples",
              "20",
              "--elites",
              "4",
              "--iterations",
              "2",
              "--no-probe");
      assertThat(eval.code()).as(eval.err()).isZero();
      assertThat(eval.out()).contains("random policy: success").contains("held-out trajectories");
      assertThat(runDir.resolve("eval-2/result.json")).exists();
      assertThat(runDir.resolve("eval-2/report.md")).exists();
      assertThat(runDir.resolve("eval-2/trajectories.png")).exists();

      // another seed, a farther goal and a longer budget: other starts, and the JSON says so
      CliTest.Run redrawn =
          run(
              "world",
              "eval",
              "--run",
              runDir.toString(),
              "--data",
              data.toString(),
              "--episodes",
              "2",
              "--samples",
              "20",
              "--elites",
              "4",
              "--iterations",
              "1",
              "--no-probe",
              "--seed",
              "7",
              "--goal-offset",
              "10",
              "--budget",
              "30");
      assertThat(redrawn.code()).as(redrawn.err()).isZero();
      var json = tools.jackson.databind.json.JsonMapper.builder().build();
      var paper = json.readTree(runDir.resolve("eval-2/result.json").toFile());
      var redrawnJson =
          json.readTree(runDir.resolve("eval-2-seed7-offset10-budget30/result.json").toFile());
      assertThat(paper.at("/settings/seed").asLong()).isEqualTo(42);
      assertThat(paper.at("/settings/offset").asInt()).isEqualTo(25);
      assertThat(redrawnJson.at("/settings/seed").asLong()).isEqualTo(7);
      assertThat(redrawnJson.at("/settings/offset").asInt()).isEqualTo(10);
      assertThat(redrawnJson.at("/settings/budget").asInt()).isEqualTo(30);
      assertThat(redrawnJson.at("/plannedEpisodes").size()).isEqualTo(2);
      assertThat(redrawnJson.at("/plannedEpisodes").toString())
          .isNotEqualTo(paper.at("/plannedEpisodes").toString());
      assertUserError(
          run(
              "world",
              "eval",
              "--run",
              runDir.toString(),
              "--data",
              data.toString(),
              "--budget",
              "0"),
          "--budget must be positive");

      Path cut = dir.resolve("cut.bin");
      byte[] bytes = Files.readAllBytes(data);
      Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
      assertUserError(
          run("world", "eval", "--run", runDir.toString(), "--data", cut.toString()), "truncated");

      Path other = dir.resolve("other.bin");
      collect(other, "10", "--seed", "9");
      assertUserError(
          run("world", "eval", "--run", runDir.toString(), "--data", other.toString()),
          "another dataset");

      // same seed and episodes, a larger held-out split: some "held-out" episodes were trained on
      Path resplit = dir.resolve("resplit.bin");
      collect(resplit, "20");
      CliTest.Run leak =
          run(
              "world",
              "eval",
              "--run",
              runDir.toString(),
              "--data",
              resplit.toString(),
              "--episodes",
              "2",
              "--no-probe");
      assertUserError(leak, "another dataset");
      assertThat(leak.err()).contains("20 held out");
      assertUserError(
          run("world", "probe", "--run", runDir.toString(), "--data", resplit.toString()),
          "another dataset");
    } finally {
      Ops.setThreads(threads);
    }
  }
}
