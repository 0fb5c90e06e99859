package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bench.reasoning.SudokuEbmTraining;
import dev.strata.propose.DiffusionConfig;
import dev.strata.propose.DiffusionProposerTraining;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuTraining;
import dev.strata.train.Recipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench reasoning --task sudoku --proposer diffusion --energy …}: a tiny masked-diffusion
 * proposer and a tiny pairwise energy (a few steps each, on generated puzzles) give the
 * learned-energy rows under the diffusion proposer's name, never the AR proposer's; value beams and
 * countdown's learned rows stay refused for diffusion in one line.
 */
class DiffusionLearnedEnergyCliTest {

  @Test
  void benchesTheLearnedEnergyRowsWithASudokuDiffusionProposer(@TempDir Path dir)
      throws IOException {
    List<SudokuGenerator.Generated> pool = SudokuTraining.pool(8, 30, 40, 11, null);
    List<SudokuGenerator.Generated> val = SudokuTraining.pool(4, 30, 40, 12, null);
    Path energy = dir.resolve("sudoku-ebm");
    SudokuEbmTraining.run(
        new SudokuEbmTraining.Options(
            SudokuEbmTraining.PAIRWISE,
            8,
            0,
            2,
            2,
            SudokuEbmTraining.Options.recipe(0, 5, 4, 3e-2, 3, energy, false)),
        null,
        pool,
        val,
        msg -> {});
    Path diffusion = dir.resolve("sudoku-diffusion");
    var tiny = new DiffusionConfig(new SudokuCodec().vocab(), 32, 1, 1, 82 + 81, 0, 0);
    DiffusionProposerTraining.run(
        new DiffusionProposerTraining.Options(
            SudokuTraining.TASK,
            tiny,
            0,
            new Recipe(0, 2, 4, 1e-3, 1e-3 / 10, 1, 0.1, 1.0, 1, 2, diffusion, false),
            8),
        SudokuTraining.examples(pool, 1, true),
        SudokuTraining.examples(val, 1, false),
        false);
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("sudoku-diffusion-vs-ar"));
    Files.writeString(
        data.resolve("sudoku-diffusion-vs-ar/sudoku_test.csv"),
        """
        quizzes,solutions
        080050060460907108005000029970006500000872031300049000004025003010000480603100007,789251364462937158135468729978316542546872931321549876894725613217693485653184297
        024000390370061000500000020230700460060004508005900170040000080000093007096015040,624587391379261854518349726231758469967124538485936172143672985852493617796815243
        """);
    Path json = dir.resolve("bench.json");

    CliTest.Run b =
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "sudoku",
            "--proposer",
            "diffusion",
            "--checkpoint",
            diffusion.toString(),
            "--energy",
            energy.toString(),
            "--data",
            data.toString(),
            "--limit",
            "2",
            "--seventeen",
            "0",
            "--hard",
            "0",
            "--samples",
            "2",
            "--guides",
            "1",
            "--denoising-steps",
            "4",
            "--seconds",
            "0.2",
            "--repair-evaluations",
            "16",
            "--seed",
            "1",
            "--out",
            json.toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out())
        .contains("sudoku_test.csv, 2 puzzles")
        .contains("diffusion easy-first (greedy)")
        .contains("diffusion + learned energy, best-of-2")
        .contains("diffusion + learned energy + search")
        .contains("diffusion + learned energy + min-conflict repair")
        .doesNotContain("AR + learned energy");
    assertThat(Files.readString(json).replaceAll("\\s*:\\s*", ":"))
        .contains("\"method\":\"diffusion + learned energy + search\"")
        .contains("\"energy\":\"" + energy + "\"");

    CliTest.assertUserError(
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "sudoku",
            "--proposer",
            "diffusion",
            "--checkpoint",
            diffusion.toString(),
            "--value-beam",
            "2"),
        "the value-beam rows need the AR proposer");
    CliTest.assertUserError(
        CliTest.run(
            "bench",
            "reasoning",
            "--task",
            "countdown",
            "--proposer",
            "diffusion",
            "--energy",
            energy.toString()),
        "--energy with --proposer diffusion supports only sudoku");
  }
}
