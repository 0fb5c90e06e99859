package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.DType;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;

/**
 * A learned pairwise energy — a Potts model / Boltzmann machine over the candidate's sites,
 * conditioned on the problem through a unary table (Hinton &amp; Sejnowski 1983; the classic
 * energy-based model of a discrete structure):
 *
 * <pre>  E(x, y) = Σ_i U_i[x_i, y_i] + ½ Σ_{i≠j} W_ij[y_i, y_j]</pre>
 *
 * with one weight per pair of (site, value) assignments. A site whose candidate token is 0 is open
 * and contributes nothing, so the same energy scores partial assignments — which is what lets a
 * search use it inside the tree ({@link PairwiseTables}): the cost of setting site i to v given the
 * decided sites is U_i[x_i, v] + Σ_j W_ij[v, y_j]. The model knows nothing about a task's rules;
 * trained by ranking NCE on a proposer's wrong samples and single-site perturbations, the pairs
 * that never co-occur in solutions (for Sudoku: a digit twice in a row, column or box) get large
 * weights. Weights start at zero (every candidate equally likely).
 */
public final class PairwiseEnergyNet extends Module implements EnergyModel {
  public final PairwiseEnergyConfig config;
  private final Tensor unary; // (T·C, K): row t·C + x_t, column y_t − 1
  private final Tensor pair; // (T·K, T·K): symmetrised and with the i = j blocks masked in forward
  private final Tensor offSite; // (T·K, T·K) 1 between different sites, 0 within a site

  public PairwiseEnergyNet(PairwiseEnergyConfig config) {
    this.config = config;
    int k = config.values();
    int n = config.units();
    this.unary = param("unary", zeros(config.length() * (long) config.conditionVocab(), k));
    this.pair = param("pair", zeros(n, n));
    float[] mask = new float[n * n];
    for (int a = 0; a < n; a++)
      for (int b = 0; b < n; b++) mask[a * n + b] = a / k == b / k ? 0f : 1f;
    this.offSite = buffer("off_site", tensor(mask, n, n));
  }

  /**
   * The symmetric pair weights with the within-site blocks zeroed: (W + Wᵀ)/2 ⊙ offSite, (T·K,
   * T·K).
   */
  Tensor symmetricPairs() {
    return mul(pair.add(pair.t()), 0.5).mul(offSite);
  }

  @Override
  public Tensor forward(Tensor problem, Tensor candidate) {
    return parts(problem, candidate).energy();
  }

  /**
   * The energy of every single-site change at once: (B, T, K), entry (i, v) = E(x, y with y_i set
   * to v) — all T·(K−1) neighbours of the energy-discrepancy loss for the cost of one forward,
   * since for a pairwise energy E(y^{i→v}) = E(y) − c_i(y_i) + c_i(v) with c_i(v) = U_i[x_i, v] +
   * Σ_{j≠i} W_ij[v, y_j].
   */
  public Tensor neighbourEnergies(Tensor problem, Tensor candidate) {
    Parts p = parts(problem, candidate);
    Tensor current = sum(p.cost().mul(p.oneHot()), true, 2); // (B, T, 1): c_i(y_i), 0 at open sites
    return p.energy().view(-1, 1, 1).sub(current).add(p.cost()); // (B, T, K)
  }

  /** oneHot and cost (B, T, K): the decided values and c_i(v); energy (B). */
  private record Parts(Tensor oneHot, Tensor cost, Tensor energy) {}

  private Parts parts(Tensor problem, Tensor candidate) {
    long b = problem.size(0);
    int t = config.length();
    int k = config.values();
    if (problem.size(1) != t || candidate.size(1) != t) {
      throw new IllegalArgumentException(
          "pairwise energy of "
              + t
              + " sites got streams of "
              + problem.size(1)
              + " and "
              + candidate.size(1)
              + " tokens");
    }
    long[] x = longs(problem);
    long[] y = longs(candidate);
    float[] oneHot = new float[(int) (b * t * k)]; // (B, T·K): 1 at (i, y_i − 1) for decided sites
    long[] unaryRows = new long[(int) (b * t)]; // (B, T): row of U_i[x_i, ·]
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < t; i++) {
        int at = r * t + i;
        if (x[at] < 0 || x[at] >= config.conditionVocab() || y[at] < 0 || y[at] > k) {
          throw new IllegalArgumentException(
              "token out of range at site " + i + ": problem " + x[at] + ", candidate " + y[at]);
        }
        unaryRows[at] = (long) i * config.conditionVocab() + x[at];
        if (y[at] > 0) oneHot[(int) ((long) at * k + y[at] - 1)] = 1f;
      }
    }
    Tensor flat = Ops.to(tensor(oneHot, b, (long) t * k), Ops.dtype(pair)); // (B, T·K)
    Tensor oneHot3 = flat.view(b, t, k); // (B, T, K)
    Tensor unaryCost = embedding(unary, tensor(unaryRows, b, t)); // (B, T, K): U_i[x_i, v]
    Tensor field = flat.matmul(symmetricPairs()).view(b, t, k); // (B, T, K): Σ_j W_ij[v, y_j]
    Tensor unaryEnergy = sum(unaryCost.mul(oneHot3), false, 1, 2); // (B)
    Tensor pairEnergy =
        mul(sum(field.mul(oneHot3), false, 1, 2), 0.5); // (B): each pair counted twice
    return new Parts(oneHot3, unaryCost.add(field), unaryEnergy.add(pairEnergy));
  }

  /** The weights as plain arrays, for searches that score partial assignments incrementally. */
  public PairwiseTables tables() {
    try (Scope s = Ops.scope();
        var g = noGrad()) {
      return new PairwiseTables(
          config,
          floats(Ops.to(unary, DType.FLOAT32)),
          floats(Ops.to(symmetricPairs(), DType.FLOAT32)));
    }
  }
}
