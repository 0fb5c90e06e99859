package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The spellings users type and the run directories they default to. */
class TrainingTaskTest {
  @Test
  void spellingsAndDefaultRunDirectories() {
    assertThat(Arrays.stream(TrainingTask.values()).map(Object::toString).toList())
        .containsExactly(
            "sudoku",
            "sudoku-diffusion",
            "sudoku-ebm",
            "pathstar",
            "pathstar-ebm",
            "countdown",
            "countdown-diffusion",
            "countdown-ebm");
    assertThat(TrainingTask.SUDOKU.defaultRunDir()).isEqualTo(Path.of("runs", "sudoku-ar"));
    assertThat(TrainingTask.SUDOKU_EBM.defaultRunDir()).isEqualTo(Path.of("runs", "sudoku-ebm"));
    assertThat(
            TrainingTask.proposer(ReasoningTask.COUNTDOWN, ProposerKind.DIFFUSION).defaultRunDir())
        .isEqualTo(Path.of("runs", "countdown-diffusion"));
    assertThat(TrainingTask.proposer(ReasoningTask.PATHSTAR, ProposerKind.DIFFUSION)).isNull();
  }
}
