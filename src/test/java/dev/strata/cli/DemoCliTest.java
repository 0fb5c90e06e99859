package dev.strata.cli;

import static dev.strata.cli.CliTest.assertUserError;
import static dev.strata.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata demo} with budgets of seconds: all three parts run and the report holds the world
 * and reasoning parts.
 */
class DemoCliTest {
  @Test
  void badWorldOptionsAreRefusedBeforeTraining() {
    assertUserError(
        run("demo", "--world-config", "huge"), "unknown world-model configuration 'huge'");
    assertUserError(run("demo", "--plan-episodes", "0"), "--plan-episodes");
    assertUserError(run("demo", "--puzzles", "0"), "--puzzles");
  }

  @Test
  void lmThenWorldModelThenSudokuRunAndReport(@TempDir Path dir) throws IOException {
    int threads = Ops.threads();
    Ops.setThreads(1);
    try {
      Path text = dir.resolve("t.txt");
      Files.writeString(text, "ROMEO: To be, or not to be, that is the question.\n".repeat(500));
      Path out = dir.resolve("demo");
      CliTest.Run demo =
          run(
              "demo",
              "--data",
              text.toString(),
              "--lm-minutes",
              "0.01",
              "--world-minutes",
              "0.01",
              "--world-config",
              "tiny",
              "--plan-episodes",
              "2",
              "--reasoning-minutes",
              "0.01",
              "--energy-steps",
              "30",
              "--sudoku-pool",
              "32",
              "--puzzles",
              "2",
              "--out",
              out.toString());
      assertThat(demo.code()).as(demo.err()).isZero();
      assertThat(demo.out())
          .contains("validation loss")
          .contains("held-out 1-step prediction MSE")
          .contains("  episode 1: ")
          .contains("  episode 2: ")
          .contains("random policy on the same tasks")
          .contains("demonstration");
      assertThat(out.resolve("world/two-room.bin")).exists();
      Path png = out.resolve("world/eval-2/trajectories.png");
      assertThat(png).exists();
      String report = Files.readString(out.resolve("report.md"));
      assertThat(report)
          .contains("| world: episode 1 | ")
          .contains("| world: episode 2 | ")
          .contains("final distance")
          .contains("plan ")
          .contains("(world/eval-2/trajectories.png)")
          .contains("validation loss");
      // the reasoning part: two puzzles, AR alone against the layered system; the rule-energy
      // search is exact
      assertThat(demo.out()).contains("AR + rules + search").contains("AR + learned + search");
      assertThat(report)
          .contains("| sudoku: puzzle 1 | ")
          .contains("| sudoku: puzzle 2 | ")
          .contains("AR + rule energy + search 2/2")
          .contains("(reasoning/energy-trace.png)");
      assertThat(out.resolve("reasoning/energy-trace.png")).exists();
    } finally {
      Ops.setThreads(threads);
    }
  }
}
