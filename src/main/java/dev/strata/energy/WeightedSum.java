package dev.strata.energy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weighted sum of energies, E(y) = Σ_k w_k·E_k(y) — the way layers combine judges (spec "The
 * energy layer": e.g. the AR-induced −log p plus a learned residual, or a rule energy weighted
 * above a soft preference). Each part scores the whole batch once; the breakdown lists every part's
 * weighted terms under its name.
 */
public final class WeightedSum<P, X> implements Energy<P, X> {

  /** One named, weighted part. */
  public record Term<P, X>(String name, double weight, Energy<P, X> energy) {
    public Term {
      if (!Double.isFinite(weight))
        throw new IllegalArgumentException(
            "weight of energy '" + name + "' must be finite, got " + weight);
    }
  }

  private final List<Term<P, X>> terms;

  public WeightedSum(List<Term<P, X>> terms) {
    if (terms.isEmpty())
      throw new IllegalArgumentException("a weighted sum needs at least one energy");
    this.terms = List.copyOf(terms);
  }

  /** w₁·E₁ + w₂·E₂. */
  public static <P, X> WeightedSum<P, X> of(
      String n1, double w1, Energy<P, X> e1, String n2, double w2, Energy<P, X> e2) {
    return new WeightedSum<>(List.of(new Term<>(n1, w1, e1), new Term<>(n2, w2, e2)));
  }

  @Override
  public float[] energies(P problem, List<X> candidates) {
    double[] sum = new double[candidates.size()];
    for (Term<P, X> t : terms) {
      if (t.weight() == 0) continue;
      float[] e = t.energy().energies(problem, candidates);
      for (int i = 0; i < sum.length; i++) sum[i] += t.weight() * e[i];
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) out[i] = (float) sum[i];
    return out;
  }

  @Override
  public Breakdown explain(P problem, X candidate) {
    Map<String, Float> parts = new LinkedHashMap<>();
    double total = 0;
    for (Term<P, X> t : terms) {
      Breakdown b = t.energy().explain(problem, candidate);
      total += t.weight() * b.total();
      String scale = t.weight() == 1 ? "" : " ×" + (float) t.weight();
      if (b.terms().size() == 1) parts.put(t.name() + scale, b.total());
      else b.terms().forEach((k, v) -> parts.put(t.name() + ": " + k + scale, v));
    }
    return new Breakdown((float) total, parts);
  }
}
