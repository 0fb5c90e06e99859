package dev.strata.tasks.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic sequence task: a documented generator of {@link Example}s. Example {@code i} of a
 * data set with seed {@code s} depends on (s, i) only, so a data set is a reproducible, indexable
 * stream: training cycles over indices {@code [0, n)}, and evaluation uses a different seed for
 * fresh sequences.
 */
public interface SequenceTask {
  /** Short name for reports, e.g. "mqar". */
  String name();

  /** Token ids lie in [0, vocab()). */
  int vocab();

  /** Longest sequence this task generates. */
  int maxLength();

  /** One example drawn with {@code rng}. */
  Example example(SplittableRandom rng);

  /** Example {@code index} of the data set with {@code seed}. */
  default Example example(long seed, long index) {
    return example(new SplittableRandom(mix(seed, index)));
  }

  /** Examples {@code [first, first+size)} of the data set with {@code seed}, stacked. */
  default SequenceBatch batch(long seed, long first, int size) {
    List<Example> examples = new ArrayList<>(size);
    for (int i = 0; i < size; i++) examples.add(example(seed, first + i));
    return SequenceBatch.of(examples);
  }

  /** The first {@code size} examples of the data set with {@code seed}. */
  default SequenceBatch batch(int size, long seed) {
    return batch(seed, 0, size);
  }

  /**
   * A well-spread 64-bit hash of (seed, index) (SplitMix64's finaliser over a golden-ratio step).
   */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
