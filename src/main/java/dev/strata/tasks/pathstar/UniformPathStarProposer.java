package dev.strata.tasks.pathstar;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weakest path-star proposer, a baseline for what learning adds: a walk from the start along
 * the graph's edges, each step to a uniformly random child, so it picks an arm at random (right
 * with probability 1/D) — the same graph knowledge the AR proposer's graph mask gives it. {@link
 * #complete} keeps the partial path's leading nodes (−1 marks an open position) as long as they
 * follow the edges, then walks on at random. A walk that reaches a node with no child stops there,
 * the rest of the path left −1.
 */
public final class UniformPathStarProposer implements Proposer<PathStar, int[]> {

  @Override
  public List<int[]> propose(PathStar problem, int n, RandomSource rng) {
    return complete(problem, null, n, rng);
  }

  @Override
  public List<int[]> complete(PathStar problem, int[] partial, int n, RandomSource rng) {
    List<int[]> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int[] path = new int[problem.pathLength()];
      Arrays.fill(path, -1);
      path[0] = problem.start();
      boolean following = partial != null;
      for (int t = 1; t < path.length; t++) {
        int[] children = problem.children(path[t - 1]);
        if (children.length == 0) break;
        int want = following && t < partial.length ? partial[t] : -1;
        if (want >= 0 && problem.hasEdge(path[t - 1], want)) {
          path[t] = want;
        } else {
          following = false;
          path[t] = children[rng.nextInt(children.length)];
        }
      }
      out.add(path);
    }
    return out;
  }
}
