package dev.strata.tasks.pathstar;

import dev.strata.energy.Breakdown;
import dev.strata.energy.Energy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule energy of a path-star answer: one per consecutive pair that is not an edge of the graph,
 * plus one for a wrong first node (not the start) and one for a wrong last node (not the goal). It
 * is 0 exactly on the start-to-goal path (in a star graph that path is unique).
 */
public final class PathStarRules implements Energy<PathStar, int[]> {
  public static final String EDGES = "edges not in the graph";
  public static final String START = "wrong start";
  public static final String GOAL = "wrong goal";

  @Override
  public float[] energies(PathStar problem, List<int[]> candidates) {
    float[] e = new float[candidates.size()];
    for (int i = 0; i < e.length; i++) {
      int[] t = terms(problem, candidates.get(i));
      e[i] = t[0] + t[1] + t[2];
    }
    return e;
  }

  @Override
  public Breakdown explain(PathStar problem, int[] path) {
    int[] t = terms(problem, path);
    Map<String, Float> m = new LinkedHashMap<>();
    m.put(EDGES, (float) t[0]);
    m.put(START, (float) t[1]);
    m.put(GOAL, (float) t[2]);
    return new Breakdown(t[0] + t[1] + t[2], m);
  }

  /**
   * {edges not in the graph, wrong start, wrong goal}; an empty path counts as wrong start and
   * goal.
   */
  public static int[] terms(PathStar problem, int[] path) {
    int[] t = new int[3];
    if (path.length == 0) return new int[] {0, 1, 1};
    for (int i = 1; i < path.length; i++) if (!problem.hasEdge(path[i - 1], path[i])) t[0]++;
    if (path[0] != problem.start()) t[1] = 1;
    if (path[path.length - 1] != problem.goal()) t[2] = 1;
    return t;
  }

  public static boolean solves(PathStar problem, int[] path) {
    int[] t = terms(problem, path);
    return t[0] + t[1] + t[2] == 0;
  }
}
