package dev.strata.tasks.countdown;

import dev.strata.search.ConstraintPropagator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Countdown as a search tree for {@link dev.strata.search.GuidedDepthFirst}: a state is the pool of
 * numbers still available plus the steps taken; each step combines two pool entries (i, j) with an
 * operator whose result is a non-negative integer (value {@code (i·8 + j)·4 + op}); a leaf is a
 * pool of one number, judged by {@link CountdownRules}. With 4 numbers the tree has at most 12·4 ·
 * 6·4 · 2·4 = 9,216 leaves, so the search is exact.
 */
public final class CountdownConstraints
    implements ConstraintPropagator<Countdown, String, CountdownConstraints.State> {
  private static final char[] OPS = {'+', '-', '*', '/'};

  /** The pool of available numbers and the steps written so far. */
  public record State(long[] pool, List<String> steps) {}

  @Override
  public State root(Countdown problem) {
    return new State(Arrays.stream(problem.numbers()).asLongStream().toArray(), List.of());
  }

  @Override
  public int branchSite(State s) {
    return s.pool().length > 1 ? s.steps().size() : -1;
  }

  @Override
  public int[] values(State s, int site) {
    List<Integer> out = new ArrayList<>();
    int n = s.pool().length;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i == j) continue;
        for (int op = 0; op < 4; op++) {
          if ((op == 0 || op == 2) && i > j) continue; // + and × commute: one order
          if (CountdownRules.apply(s.pool()[i], OPS[op], s.pool()[j]) >= 0)
            out.add((i * 8 + j) * 4 + op);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public State assign(State s, int site, int value) {
    int op = value % 4;
    int i = value / 4 / 8;
    int j = value / 4 % 8;
    long a = s.pool()[i];
    long b = s.pool()[j];
    long c = CountdownRules.apply(a, OPS[op], b);
    if (c < 0) return null;
    long[] pool = new long[s.pool().length - 1];
    int k = 0;
    for (int q = 0; q < s.pool().length; q++) if (q != i && q != j) pool[k++] = s.pool()[q];
    pool[k] = c;
    List<String> steps = new ArrayList<>(s.steps());
    steps.add(a + "" + OPS[op] + b + "=" + c);
    return new State(pool, List.copyOf(steps));
  }

  @Override
  public String candidate(Countdown problem, State s) {
    String text = String.join(",", s.steps());
    return s.pool().length > 1 && !s.steps().isEmpty()
        ? text + ","
        : text; // a partial answer invites the next step
  }

  @Override
  public int valueOf(State s, String candidate, int site) {
    String[] steps = candidate.split(",");
    if (site >= steps.length) return -1;
    CountdownRules.Step st = CountdownRules.parseStep(steps[site]);
    if (st == null) return -1;
    int op = new String(OPS).indexOf(st.op());
    int i = -1;
    int j = -1;
    for (int q = 0; q < s.pool().length; q++) {
      if (i < 0 && s.pool()[q] == st.a()) i = q;
      else if (j < 0 && s.pool()[q] == st.b()) j = q;
    }
    if (j < 0) { // a and b equal values: the second occurrence
      for (int q = 0; q < s.pool().length; q++) if (q != i && s.pool()[q] == st.b()) j = q;
    }
    if (i < 0 || j < 0 || op < 0) return -1;
    if ((op == 0 || op == 2) && i > j) {
      int t = i;
      i = j;
      j = t;
    }
    return (i * 8 + j) * 4 + op;
  }
}
