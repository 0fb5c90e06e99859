package dev.strata.tasks.pathstar;

import java.util.SplittableRandom;

/**
 * Generates path-star problems in the published format, after {@code data/graphs.py} of
 * gregorbachmann/Next-Token-Failures: D·(L−1)+1 distinct node ids drawn from {@code [0, nodes)},
 * the first the start, the rest split into D arms of L−1 nodes, edges directed outwards and
 * shuffled, the goal the end of a random arm.
 */
public final class PathStarGenerator {
  private PathStarGenerator() {}

  public static PathStar.Example generate(
      int degree, int pathLength, int nodes, SplittableRandom rng) {
    int need = degree * (pathLength - 1) + 1;
    if (degree < 1 || pathLength < 2 || need > nodes) {
      throw new IllegalArgumentException(
          "a star with "
              + degree
              + " arms of "
              + pathLength
              + " nodes needs "
              + need
              + " distinct ids, but only "
              + nodes
              + " are allowed");
    }
    int[] ids = new int[nodes];
    for (int i = 0; i < nodes; i++) ids[i] = i;
    for (int i = 0;
        i < need;
        i++) { // partial Fisher–Yates: the first `need` ids are a uniform sample
      int j = i + rng.nextInt(nodes - i);
      int t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    int start = ids[0];
    int[][] edges = new int[degree * (pathLength - 1)][];
    int[][] arms = new int[degree][pathLength];
    int k = 1;
    int e = 0;
    for (int a = 0; a < degree; a++) {
      arms[a][0] = start;
      for (int i = 1; i < pathLength; i++) {
        arms[a][i] = ids[k++];
        edges[e++] = new int[] {arms[a][i - 1], arms[a][i]};
      }
    }
    for (int i = edges.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int[] t = edges[i];
      edges[i] = edges[j];
      edges[j] = t;
    }
    int target = rng.nextInt(degree);
    return new PathStar.Example(
        new PathStar(edges, start, arms[target][pathLength - 1], degree, pathLength), arms[target]);
  }
}
