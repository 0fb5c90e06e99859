package dev.strata.bench.reasoning;

import dev.strata.propose.ArTraining;
import dev.strata.search.ExpertIteration;
import dev.strata.search.SupervisedRounds;
import dev.strata.tasks.countdown.CountdownData;
import dev.strata.tasks.sudoku.SudokuTraining;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The supervised baseline of an expert-iteration run ({@link SupervisedRounds}): the task's
 * generated problems with their solutions, the data its supervised proposer trains on, from a seed
 * of their own. Evaluation, search and settings are the matched run's (its held-out file and limit
 * must be given again).
 */
public final class SupervisedBaseline {
  private SupervisedBaseline() {}

  /**
   * Runs the baseline of the expert-iteration run in {@code match} from {@code proposer} into
   * {@code out}; Sudoku draws its examples from a generated pool of {@code pool} puzzles with
   * {@code minGivens..maxGivens} givens (cached in {@code runs/data/sudoku}).
   */
  public static ExpertIteration.Result run(
      ExpertTask task,
      Path heldOut,
      int limit,
      int pool,
      int minGivens,
      int maxGivens,
      Path proposer,
      Path match,
      Path out,
      boolean resume,
      boolean progressBar,
      Consumer<String> log) {
    ExpertIteration.Config c = SupervisedRounds.matchedConfig(match);
    if (!c.task().equals(task.toString()))
      throw new IllegalArgumentException(
          match + " holds a " + c.task() + " run, not " + task + "; match a run of the same task");
    ExpertSearch search = ExpertSearch.of(c.search());
    long seed = c.seed() + 2_000_003; // apart from the supervised proposer's own data stream
    return switch (task) {
      case COUNTDOWN ->
          new SupervisedRounds<>(
                  ExpertTask.countdown(c.seed(), search, heldOut, limit),
                  CountdownData.examples(seed),
                  progressBar)
              .run(proposer, match, out, resume, log);
      case SUDOKU -> {
        ArTraining.ExampleSource examples =
            SudokuTraining.examples(
                SudokuTraining.pool(
                    pool, minGivens, maxGivens, seed, Path.of("runs", "data", "sudoku")),
                seed,
                true);
        yield new SupervisedRounds<>(
                ExpertTask.sudoku(c.seed(), search, heldOut, limit, minGivens, maxGivens),
                examples,
                progressBar)
            .run(proposer, match, out, resume, log);
      }
    };
  }
}
