package dev.strata.tasks.pathstar;

import dev.strata.search.ConstraintPropagator;
import java.util.Arrays;

/**
 * Path-star as a constraint problem for {@link dev.strata.search.GuidedDepthFirst}: the state is
 * the path so far, the next position is the branch site, its values the children of the last node
 * (the graph's edges are the only constraint applied while branching; the goal is judged at the
 * leaves by {@link PathStarRules}). The only real choice is the first step (D arms), so the
 * complete search tries at most D paths, the AR proposer's first.
 */
public final class PathStarConstraints
    implements ConstraintPropagator<PathStar, int[], PathStarConstraints.Partial> {

  /** A path prefix of a problem. */
  public record Partial(PathStar problem, int[] path) {}

  @Override
  public Partial root(PathStar p) {
    return new Partial(p, new int[] {p.start()});
  }

  @Override
  public int branchSite(Partial s) {
    return s.path().length < s.problem().pathLength() ? s.path().length : -1;
  }

  @Override
  public int[] values(Partial s, int site) {
    return s.problem().children(s.path()[s.path().length - 1]);
  }

  @Override
  public Partial assign(Partial s, int site, int value) {
    int[] next = Arrays.copyOf(s.path(), s.path().length + 1);
    next[s.path().length] = value;
    return new Partial(s.problem(), next);
  }

  @Override
  public int[] candidate(PathStar p, Partial s) {
    int[] x = new int[p.pathLength()];
    Arrays.fill(x, -1);
    System.arraycopy(s.path(), 0, x, 0, Math.min(s.path().length, x.length));
    return x;
  }

  @Override
  public int valueOf(Partial state, int[] candidate, int site) {
    return site < candidate.length ? candidate[site] : -1;
  }
}
