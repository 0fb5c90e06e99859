package dev.strata.tasks.pathstar;

import dev.strata.propose.SequenceCodec;

/**
 * Path-star as tokens: node ids {@code 0..nodes−1}, then {@code nodes} = '/' and {@code nodes+1} =
 * '='. Prompt: the edges as parent, child pairs in the listed order, '/', start, goal, '='; answer:
 * the L nodes of the path. Constraint masking allows the start first and then only children of the
 * previous node — which leaves exactly the one choice that needs planning (which arm to enter) to
 * the model, the step where teacher-forced AR sits at chance.
 */
public record PathStarCodec(int nodes) implements SequenceCodec<PathStar, int[]> {

  public int slash() {
    return nodes;
  }

  public int equals() {
    return nodes + 1;
  }

  @Override
  public int vocab() {
    return nodes + 2;
  }

  @Override
  public long[] prompt(PathStar p) {
    long[] t = new long[p.edges().length * 2 + 4];
    int k = 0;
    for (int[] e : p.edges()) {
      t[k++] = node(e[0]);
      t[k++] = node(e[1]);
    }
    t[k++] = slash();
    t[k++] = node(p.start());
    t[k++] = node(p.goal());
    t[k] = equals();
    return t;
  }

  private long node(int id) {
    if (id >= nodes)
      throw new IllegalArgumentException(
          "node id " + id + " is outside this model's range 0.." + (nodes - 1));
    return id;
  }

  @Override
  public int answerLength(PathStar p) {
    return p.pathLength();
  }

  @Override
  public long[] answer(PathStar p, int[] path) {
    long[] a = new long[p.pathLength()];
    for (int i = 0; i < a.length; i++) a[i] = i < path.length && path[i] >= 0 ? path[i] : slash();
    return a;
  }

  @Override
  public int[] decode(PathStar p, long[] answer) {
    int[] path = new int[answer.length];
    for (int i = 0; i < path.length; i++) path[i] = answer[i] < nodes ? (int) answer[i] : -1;
    return path;
  }

  @Override
  public long fixed(PathStar p, int[] partial, int t) {
    return t < partial.length && partial[t] >= 0 ? partial[t] : -1;
  }

  @Override
  public boolean[] allowed(PathStar p, long[] answer, int t) {
    boolean[] ok = new boolean[vocab()];
    if (t == 0) {
      ok[p.start()] = true;
      return ok;
    }
    if (answer[t - 1] < nodes) for (int c : p.children((int) answer[t - 1])) ok[c] = true;
    return ok;
  }
}
