package dev.strata.bench.reasoning;

import java.nio.file.Path;

/**
 * What {@code strata train reasoning --task} trains: a task's AR proposer ({@code sudoku}), its
 * masked-diffusion proposer ({@code sudoku-diffusion}) or its learned energy ({@code sudoku-ebm}).
 * The spelling is the task's, then the model's suffix.
 */
public enum TrainingTask {
  SUDOKU(ReasoningTask.SUDOKU, Model.AR),
  SUDOKU_DIFFUSION(ReasoningTask.SUDOKU, Model.DIFFUSION),
  SUDOKU_EBM(ReasoningTask.SUDOKU, Model.EBM),
  PATHSTAR(ReasoningTask.PATHSTAR, Model.AR),
  PATHSTAR_EBM(ReasoningTask.PATHSTAR, Model.EBM),
  COUNTDOWN(ReasoningTask.COUNTDOWN, Model.AR),
  COUNTDOWN_DIFFUSION(ReasoningTask.COUNTDOWN, Model.DIFFUSION),
  COUNTDOWN_EBM(ReasoningTask.COUNTDOWN, Model.EBM);

  /** The kind of model trained, with the suffix of its spelling. */
  public enum Model {
    AR(""),
    DIFFUSION("-diffusion"),
    EBM("-ebm");

    final String suffix;

    Model(String suffix) {
      this.suffix = suffix;
    }
  }

  public final ReasoningTask task;
  public final Model model;

  TrainingTask(ReasoningTask task, Model model) {
    this.task = task;
    this.model = model;
  }

  @Override
  public String toString() {
    return task + model.suffix;
  }

  /** The training of {@code task}'s proposer of {@code kind}, or null when there is none. */
  public static TrainingTask proposer(ReasoningTask task, ProposerKind kind) {
    Model m = kind == ProposerKind.AR ? Model.AR : Model.DIFFUSION;
    for (TrainingTask t : values()) if (t.task == task && t.model == m) return t;
    return null;
  }

  /**
   * Where the run goes unless told: {@code runs/<task>-ar} for an AR proposer, {@code
   * runs/<spelling>} otherwise.
   */
  public Path defaultRunDir() {
    return Path.of("runs", model == Model.AR ? task + "-ar" : toString());
  }
}
