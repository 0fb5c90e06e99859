package dev.strata.tasks.pathstar;

import java.util.Arrays;

/**
 * A path-star problem (Bachmann &amp; Nagarajan, "The Pitfalls of Next-Token Prediction", ICML'24):
 * a start node with {@code degree} arms of {@code pathLength} nodes each (the start included), the
 * edges listed in random order, and a goal at the end of one arm; the answer is the path from start
 * to goal. Text form, as in the published files: {@code 2,8|5,2|5,9|9,3/5,8=5,2,8} (edges
 * parent,child / start,goal = path).
 *
 * @param edges the edge list, {@code edges[i] = {parent, child}}
 * @param start the centre node
 * @param goal the end of one arm
 * @param degree number of arms D
 * @param pathLength nodes on a start-to-goal path L (start and goal included)
 */
public record PathStar(int[][] edges, int start, int goal, int degree, int pathLength) {

  /** A problem with its answer path (null when unknown). */
  public record Example(PathStar problem, int[] path) {}

  /** Parses one line of a published file; degree and path length are read off the graph. */
  public static Example parse(String line) {
    String s = line.strip();
    int slash = s.indexOf('/');
    int eq = s.indexOf('=');
    if (slash < 0)
      throw new IllegalArgumentException(
          "a path-star line looks like 2,8|5,2|5,9|9,3/5,8=5,2,8; got: " + abbreviate(s));
    try {
      String[] parts = s.substring(0, slash).split("\\|");
      int[][] edges = new int[parts.length][];
      for (int i = 0; i < parts.length; i++) edges[i] = ints(parts[i], 2, "edge");
      int[] sg = ints(s.substring(slash + 1, eq < 0 ? s.length() : eq), 2, "start,goal");
      int degree = 0;
      for (int[] e : edges) if (e[0] == sg[0]) degree++;
      if (degree == 0)
        throw new IllegalArgumentException("the start node " + sg[0] + " has no edge");
      if (edges.length % degree != 0)
        throw new IllegalArgumentException(
            edges.length + " edges do not split into " + degree + " equal arms");
      int pathLength = edges.length / degree + 1;
      int[] path = eq < 0 ? null : ints(s.substring(eq + 1), pathLength, "path");
      return new Example(new PathStar(edges, sg[0], sg[1], degree, pathLength), path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in path-star line: " + abbreviate(s));
    }
  }

  private static int[] ints(String text, int n, String what) {
    String[] p = text.split(",");
    if (p.length != n)
      throw new IllegalArgumentException(
          "expected " + n + " numbers in the " + what + " '" + text + "'");
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = Integer.parseInt(p[i].strip());
      if (v[i] < 0) throw new IllegalArgumentException("node ids are ≥ 0, got " + v[i]);
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** The children of {@code node} in edge-list order. */
  public int[] children(int node) {
    return Arrays.stream(edges).filter(e -> e[0] == node).mapToInt(e -> e[1]).toArray();
  }

  public boolean hasEdge(int from, int to) {
    for (int[] e : edges) if (e[0] == from && e[1] == to) return true;
    return false;
  }

  /** The published text form, with {@code path} as the answer (null: none). */
  public String format(int[] path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < edges.length; i++)
      sb.append(i == 0 ? "" : "|").append(edges[i][0]).append(',').append(edges[i][1]);
    sb.append('/').append(start).append(',').append(goal);
    if (path != null) {
      sb.append('=');
      for (int i = 0; i < path.length; i++) sb.append(i == 0 ? "" : ",").append(path[i]);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathStar p
        && start == p.start
        && goal == p.goal
        && degree == p.degree
        && pathLength == p.pathLength
        && Arrays.deepEquals(edges, p.edges);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(edges) * 31 + start * 7 + goal;
  }

  @Override
  public String toString() {
    return format(null);
  }
}
