package dev.strata.tasks.countdown;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The weakest Countdown proposer, a baseline for what learning adds: three steps, each combining
 * two of the numbers still available with an operator, chosen uniformly among the steps whose
 * result is a non-negative integer (the moves of {@link CountdownConstraints}). Its answers are
 * always well-formed derivations that use every number once; whether they hit the target is chance.
 * {@link #complete} keeps the partial answer's leading steps as long as they are such moves, then
 * continues at random. Each candidate draws its random numbers in turn, so the first k of a batch
 * are the k a smaller batch draws.
 */
public final class UniformCountdownProposer implements Proposer<Countdown, String> {
  private final CountdownConstraints moves = new CountdownConstraints();

  @Override
  public List<String> propose(Countdown problem, int n, RandomSource rng) {
    return complete(problem, null, n, rng);
  }

  @Override
  public List<String> complete(Countdown problem, String partial, int n, RandomSource rng) {
    List<String> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      CountdownConstraints.State s = moves.root(problem);
      boolean following = partial != null && !partial.isEmpty();
      for (int site = moves.branchSite(s); site >= 0; site = moves.branchSite(s)) {
        int[] values = moves.values(s, site);
        int v = following ? moves.valueOf(s, partial, site) : -1;
        if (!contains(values, v)) {
          following = false;
          v = values[rng.nextInt(values.length)];
        }
        s = moves.assign(s, site, v);
      }
      out.add(moves.candidate(problem, s));
    }
    return out;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) if (x == v) return true;
    return false;
  }
}
