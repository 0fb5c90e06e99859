package dev.strata.search;

import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.PairwiseTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Constraint propagation read off a learned pairwise energy ({@link
 * dev.strata.energy.PairwiseEnergyNet}), for {@link GuidedDepthFirst} without any hand-written
 * rule: a pair of assignments whose learned weight W_ij[v, w] exceeds the threshold τ is treated as
 * a conflict (τ is calibrated on held-out solutions: no pair that co-occurs in a valid answer may
 * exceed it), so assigning site j to w removes from every open site i the values v with W_ij[v, w]
 * &gt; τ (forward checking); a site left with one value is assigned at once (a naked single), one
 * left with none is a contradiction; and in the all-different groups the weights imply ({@link
 * #allDifferentGroups}), a value with one place left goes there (a hidden single). Branching picks
 * the open site with fewest values (MRV); its values are offered in the order of their learned cost
 * given the decided sites, U_i[x_i, v] + Σ_j W_ij[v, y_j]. What the model learned is all it knows:
 * if a real constraint was not learned, leaves that break it are reached and the energy must reject
 * them.
 */
public final class LearnedPairPropagator<P, X>
    implements ConstraintPropagator<P, X, LearnedPairPropagator.State> {
  private final PairwiseTables tables;
  private final float threshold;
  private final Codec<P, X> codec;
  private final int[][] groups;

  /**
   * @param tables the learned weights
   * @param threshold τ: pair weights above it are conflicts
   * @param codec the task's sites: its problem tokens, its givens, and how values become a
   *     candidate
   */
  public LearnedPairPropagator(PairwiseTables tables, float threshold, Codec<P, X> codec) {
    this.tables = tables;
    this.threshold = threshold;
    this.codec = codec;
    this.groups = allDifferentGroups(tables, threshold);
  }

  /**
   * The all-different constraints the model learned: sets of K sites (K = values per site) in which
   * every two sites conflict on equal values (their mean weight is above τ) and on no unequal one —
   * the maximal cliques of size K of that "must differ" graph (Bron–Kerbosch with pivoting). K
   * sites that must all differ hold each value exactly once (pigeonhole), which gives the second
   * propagation rule: a value allowed at one site of a group goes there, a value allowed nowhere is
   * a contradiction. For Sudoku the model's weights yield exactly the 27 rows, columns and boxes;
   * nothing tells it so.
   */
  static int[][] allDifferentGroups(PairwiseTables tables, float threshold) {
    int t = tables.config().length();
    int k = tables.config().values();
    boolean[][] differ = new boolean[t][t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        double equal = 0; // mean weight of equal values: high where the two sites must differ
        float unequal =
            Float.NEGATIVE_INFINITY; // largest weight of unequal values: must stay below τ
        for (int v = 1; v <= k; v++) {
          for (int w = 1; w <= k; w++) {
            if (v == w) equal += tables.pair(i, v, j, w) / k;
            else unequal = Math.max(unequal, tables.pair(i, v, j, w));
          }
        }
        differ[i][j] = differ[j][i] = equal > threshold && unequal <= threshold;
      }
    }
    List<int[]> out = new ArrayList<>();
    BitSet all = new BitSet(t);
    all.set(0, t);
    cliques(differ, new BitSet(t), all, new BitSet(t), k, out);
    return out.toArray(new int[0][]);
  }

  /** Bron–Kerbosch with pivoting, keeping the maximal cliques of exactly {@code size} sites. */
  private static void cliques(
      boolean[][] adj, BitSet r, BitSet p, BitSet x, int size, List<int[]> out) {
    if (r.cardinality() > size) return;
    if (p.isEmpty() && x.isEmpty()) {
      if (r.cardinality() == size) out.add(r.stream().toArray());
      return;
    }
    BitSet px = (BitSet) p.clone();
    px.or(x);
    int pivot = px.nextSetBit(0);
    BitSet candidates = (BitSet) p.clone();
    for (int u = 0; u < adj.length; u++) if (adj[pivot][u]) candidates.clear(u);
    for (int v = candidates.nextSetBit(0); v >= 0; v = candidates.nextSetBit(v + 1)) {
      BitSet nr = (BitSet) r.clone();
      nr.set(v);
      BitSet np = new BitSet(adj.length);
      BitSet nx = new BitSet(adj.length);
      for (int u = p.nextSetBit(0); u >= 0; u = p.nextSetBit(u + 1)) if (adj[v][u]) np.set(u);
      for (int u = x.nextSetBit(0); u >= 0; u = x.nextSetBit(u + 1)) if (adj[v][u]) nx.set(u);
      cliques(adj, nr, np, nx, size, out);
      p.clear(v);
      x.set(v);
    }
  }

  /** The learned all-different groups (site indices), for reports and tests. */
  public int[][] groups() {
    return groups.clone();
  }

  /** How a task's problems and candidates map onto sites with values 1..K (0 = open). */
  public interface Codec<P, X> extends LearnedEnergy.Encoder<P, X> {
    /** The problem's givens: a value per site, 0 where the site is open. */
    int[] givens(P problem);

    /** The candidate of per-site values (0 = open). */
    X decode(P problem, int[] values);

    /** The value a candidate gives a site (0 = open). */
    int valueAt(X candidate, int site);
  }

  /**
   * A node of the tree: the decided values (0 = open), each site's still-allowed values as a bit
   * set (bit v − 1), and each (site, value)'s learned cost given the decided sites.
   */
  public record State(long[] problem, int[] values, long[] allowed, float[] cost) {
    State copy() {
      return new State(problem, values.clone(), allowed.clone(), cost.clone());
    }
  }

  @Override
  public State root(P problem) {
    int t = tables.config().length();
    int k = tables.config().values();
    long[] tokens = codec.problem(problem);
    float[] cost = new float[t * k];
    for (int i = 0; i < t; i++)
      for (int v = 1; v <= k; v++) cost[tables.unit(i, v)] = tables.unary(i, (int) tokens[i], v);
    long[] allowed = new long[t];
    Arrays.fill(allowed, (1L << k) - 1);
    State s = new State(tokens, new int[t], allowed, cost);
    int[] givens = codec.givens(problem);
    for (int i = 0; i < t; i++) {
      if (givens[i] == 0) continue;
      if ((s.allowed[i] & bit(givens[i])) == 0 || !place(s, i, givens[i])) return null;
    }
    return propagate(s) ? s : null;
  }

  private static long bit(int value) {
    return 1L << (value - 1);
  }

  /**
   * Decides site i = v in place and prunes the open sites' values that conflict with it; false on a
   * wipe-out.
   */
  private boolean place(State s, int i, int v) {
    int t = tables.config().length();
    int k = tables.config().values();
    int n = tables.config().units();
    float[] w = tables.pair();
    int row = tables.unit(i, v) * n;
    s.values[i] = v;
    s.allowed[i] = bit(v);
    for (int j = 0; j < t; j++) {
      if (s.values[j] != 0) continue;
      long keep = s.allowed[j];
      for (int u = 1; u <= k; u++) {
        float pw = w[row + tables.unit(j, u)];
        s.cost[tables.unit(j, u)] += pw;
        if (pw > threshold) keep &= ~bit(u);
      }
      if (keep == 0) return false;
      s.allowed[j] = keep;
    }
    return true;
  }

  /**
   * Assigns every open site with one value left, and every value with one place left in a learned
   * all-different group, until nothing changes; false on a contradiction.
   */
  private boolean propagate(State s) {
    int k = tables.config().values();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < s.values.length; i++) {
        if (s.values[i] == 0 && Long.bitCount(s.allowed[i]) == 1) {
          if (!place(s, i, Long.numberOfTrailingZeros(s.allowed[i]) + 1)) return false;
          changed = true;
        }
      }
      for (int[] group : groups) {
        for (int v = 1; v <= k; v++) {
          int at = -1;
          int places = 0;
          for (int i : group) {
            if ((s.allowed[i] & bit(v)) != 0) {
              at = i;
              places++;
            }
          }
          if (places == 0) return false;
          if (places == 1 && s.values[at] == 0) {
            if (!place(s, at, v)) return false;
            changed = true;
          }
        }
      }
    }
    return true;
  }

  @Override
  public int branchSite(State s) {
    int best = -1;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < s.values.length; i++) {
      if (s.values[i] != 0) continue;
      int n = Long.bitCount(s.allowed[i]);
      if (n < fewest) {
        fewest = n;
        best = i;
      }
    }
    return best;
  }

  @Override
  public int[] values(State s, int site) {
    int k = tables.config().values();
    Integer[] vs = new Integer[Long.bitCount(s.allowed[site])];
    int n = 0;
    for (int v = 1; v <= k; v++) if ((s.allowed[site] & bit(v)) != 0) vs[n++] = v;
    Arrays.sort(
        vs, (a, b) -> Float.compare(s.cost[tables.unit(site, a)], s.cost[tables.unit(site, b)]));
    return Arrays.stream(vs).mapToInt(Integer::intValue).toArray();
  }

  @Override
  public State assign(State s, int site, int value) {
    State c = s.copy();
    return place(c, site, value) && propagate(c) ? c : null;
  }

  @Override
  public X candidate(P problem, State s) {
    return codec.decode(problem, s.values.clone());
  }

  @Override
  public int valueOf(State s, X candidate, int site) {
    int v = codec.valueAt(candidate, site);
    return v > 0 && v <= tables.config().values() && (s.allowed[site] & bit(v)) != 0 ? v : -1;
  }
}
