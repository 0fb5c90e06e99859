package dev.strata.tasks.countdown;

import dev.strata.search.Remasking;
import java.util.stream.IntStream;

/**
 * Remasking for Countdown ({@link dev.strata.search.RemaskRepair}): a candidate is read as a prefix
 * ({@link CountdownCodec#fixed}), so the rules blame every character from the start of the first
 * faulty step on ({@link CountdownRules#firstFault}), and opening positions keeps the answer up to
 * the first of them.
 */
public final class CountdownRemasking implements Remasking<Countdown, String> {
  private static final int[] ALL = IntStream.range(0, CountdownCodec.ANSWER_LENGTH).toArray();

  @Override
  public int[] positions(Countdown problem) {
    return ALL;
  }

  @Override
  public int[] blamed(Countdown problem, String candidate) {
    int from = CountdownRules.firstFault(problem, candidate);
    return from < 0
        ? new int[0]
        : IntStream.range(
                Math.min(from, CountdownCodec.ANSWER_LENGTH - 1), CountdownCodec.ANSWER_LENGTH)
            .toArray();
  }

  @Override
  public String open(Countdown problem, String candidate, int[] positions) {
    int cut = candidate.length();
    for (int p : positions) cut = Math.min(cut, p);
    return candidate.substring(0, cut);
  }
}
