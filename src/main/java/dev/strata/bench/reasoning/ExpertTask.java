package dev.strata.bench.reasoning;

import dev.strata.search.BestOfN;
import dev.strata.search.ExpertIteration;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.ProblemSource;
import dev.strata.search.RlooRounds;
import dev.strata.search.Search;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.countdown.CountdownConstraints;
import dev.strata.tasks.countdown.CountdownData;
import dev.strata.tasks.countdown.CountdownGenerator;
import dev.strata.tasks.countdown.CountdownRules;
import dev.strata.tasks.sudoku.SudokuCodec;
import dev.strata.tasks.sudoku.SudokuConstraints;
import dev.strata.tasks.sudoku.SudokuData;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuRules;
import dev.strata.tasks.sudoku.SudokuTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The tasks expert iteration runs on, each bound to {@link ExpertIteration.Task}: its codec, its
 * rule energy (verifier and checker), its held-out file, and unlabelled training problems from its
 * generator. The generator makes a problem and a solution together; only the problem leaves here.
 * The training problems come from their own seed stream (the supervised trainings seed theirs by
 * {@code seed · φ + index}), and the loop leaves out any that equals a held-out problem.
 */
public enum ExpertTask {
  COUNTDOWN(ReasoningTask.COUNTDOWN, "countdown-cd4/cd4_test.jsonl"),
  SUDOKU(ReasoningTask.SUDOKU, "sudoku-diffusion-vs-ar/sudoku_test.csv");

  /** Salt of the training problems' seed stream, apart from every supervised and held-out one. */
  private static final long STREAM = 0x45_58_50_45_52_54_31L; // "EXPERT1"

  public final ReasoningTask task;
  private final String heldOutFile;

  ExpertTask(ReasoningTask task, String heldOutFile) {
    this.task = task;
    this.heldOutFile = heldOutFile;
  }

  @Override
  public String toString() {
    return task.toString();
  }

  /** The held-out file under the shared data directory. */
  public Path defaultHeldOut(Path data) {
    return data.resolve(heldOutFile);
  }

  /** The supervised proposer it starts from unless told: {@code runs/<task>-ar}. */
  public Path defaultProposer() {
    return Path.of("runs", task + "-ar");
  }

  /** Where its rounds go unless told: {@code runs/<task>-expert}. */
  public Path defaultRunDir() {
    return Path.of("runs", task + "-expert");
  }

  /**
   * The seed of training problem {@code index}: consecutive from a salted start, as the supervised
   * data's are from {@code seed · φ} (seeds a multiple of φ apart would give SplittableRandom
   * streams that are shifts of one another, so repeated problems).
   */
  static long problemSeed(long seed, long index) {
    return new SplittableRandom(STREAM ^ seed).nextLong() + index;
  }

  /**
   * Runs expert iteration (or RLOO, when {@code config} holds its settings) on this task: held-out
   * problems are the first {@code limit} of {@code heldOut} (0: all), Sudoku's training puzzles
   * have {@code minGivens..maxGivens} givens.
   */
  public ExpertIteration.Result run(
      ExpertIteration.Config config,
      ExpertSearch search,
      Path heldOut,
      int limit,
      int minGivens,
      int maxGivens,
      Path proposer,
      Path out,
      boolean resume,
      boolean progressBar,
      Consumer<String> log) {
    return switch (this) {
      case COUNTDOWN ->
          run(
              config,
              countdown(config.seed(), search, heldOut, limit),
              proposer,
              out,
              resume,
              progressBar,
              log);
      case SUDOKU ->
          run(
              config,
              sudoku(config.seed(), search, heldOut, limit, minGivens, maxGivens),
              proposer,
              out,
              resume,
              progressBar,
              log);
    };
  }

  /** Expert iteration, or RLOO when {@code config} holds its settings. */
  private static <P, X> ExpertIteration.Result run(
      ExpertIteration.Config config,
      ExpertIteration.Task<P, X> task,
      Path proposer,
      Path out,
      boolean resume,
      boolean progressBar,
      Consumer<String> log) {
    return config.rl() != null
        ? new RlooRounds<>(config, task, progressBar).run(proposer, out, resume, log)
        : new ExpertIteration<>(config, task, progressBar).run(proposer, out, resume, log);
  }

  static ExpertIteration.Task<Countdown, String> countdown(
      long seed, ExpertSearch search, Path heldOut, int limit) {
    List<Countdown> test =
        first(
            CountdownData.load(heldOut).stream().map(CountdownData.Example::problem).toList(),
            limit);
    ProblemSource<Countdown> problems =
        i ->
            CountdownGenerator.generate(new SplittableRandom(problemSeed(seed, i)), 10, 99)
                .problem();
    var rules = new CountdownRules();
    LongFunction<Search<Countdown, String>> s =
        search == ExpertSearch.COMPLETE
            ? sd -> new GuidedDepthFirst<>(new CountdownConstraints(), sd)
            : sd -> new BestOfN<>(1, sd);
    return new ExpertIteration.Task<>(
        task(COUNTDOWN), new CountdownCodec(), problems, test, rules, rules, s);
  }

  static ExpertIteration.Task<SudokuGrid, SudokuGrid> sudoku(
      long seed, ExpertSearch search, Path heldOut, int limit, int minGivens, int maxGivens) {
    List<SudokuGrid> test =
        first(SudokuData.loadCsv(heldOut).stream().map(SudokuData.Example::puzzle).toList(), limit);
    ProblemSource<SudokuGrid> problems =
        i -> {
          SplittableRandom rng = new SplittableRandom(problemSeed(seed, i));
          int givens = minGivens + rng.nextInt(maxGivens - minGivens + 1);
          return SudokuGenerator.generate(givens, rng).puzzle();
        };
    var rules = new SudokuRules();
    LongFunction<Search<SudokuGrid, SudokuGrid>> s =
        search == ExpertSearch.COMPLETE
            ? sd -> new GuidedDepthFirst<>(new SudokuConstraints(), sd)
            : sd -> new BestOfN<>(1, sd);
    return new ExpertIteration.Task<>(
        SudokuTraining.TASK, new SudokuCodec(), problems, test, rules, rules, s);
  }

  private static String task(ExpertTask t) {
    return t.task.toString();
  }

  private static <T> List<T> first(List<T> all, int limit) {
    return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
  }
}
