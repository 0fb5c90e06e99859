package dev.strata.bench.sequence;

import dev.strata.tasks.sequence.SequenceTask;
import java.util.List;

/**
 * One training setting of a benchmark: every architecture trains on {@code train} with {@code
 * budget}, then is tested on each of {@code tests}.
 *
 * @param setting a name for tables, e.g. "T=64 K=4"
 * @param train the training task
 * @param budget the training budget of each architecture
 * @param archs the architectures (a state-size sweep)
 * @param tests the test tasks, by length
 */
public record Experiment(
    String setting,
    SequenceTask train,
    SequenceBench.Budget budget,
    List<Architecture> archs,
    List<LengthTest> tests) {
  public Experiment {
    if (archs.isEmpty())
      throw new IllegalArgumentException("setting " + setting + " has no architecture to train");
    if (tests.isEmpty()) throw new IllegalArgumentException("setting " + setting + " has no test");
    archs = List.copyOf(archs);
    tests = List.copyOf(tests);
  }

  /**
   * A test: {@code sequences} fresh sequences of {@code task}, {@code length} tokens long.
   *
   * @param length tokens per test sequence
   * @param task the test task
   * @param sequences test sequences
   */
  public record LengthTest(int length, SequenceTask task, int sequences) {
    public LengthTest {
      if (sequences <= 0)
        throw new IllegalArgumentException("a test needs at least one sequence, got " + sequences);
    }
  }

  /** Test sequences run at once (a batch of the parallel or recurrent evaluation). */
  public static final int TEST_BATCH = 64;
}
