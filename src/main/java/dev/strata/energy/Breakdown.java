package dev.strata.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A candidate's energy split into named terms (e.g. "row conflicts" 2, "clue mismatches" 1), for a
 * user to read. {@code total} is the energy the search saw; for a weighted sum it is Σ weight·term.
 */
public record Breakdown(float total, Map<String, Float> terms) {

  public Breakdown {
    terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  /** An energy without named parts. */
  public static Breakdown single(String name, float value) {
    return new Breakdown(value, Map.of(name, value));
  }

  @Override
  public String toString() {
    String parts =
        terms.entrySet().stream()
            .map(e -> e.getKey() + "=" + format(e.getValue()))
            .collect(Collectors.joining(", "));
    return "E="
        + format(total)
        + (terms.size() > 1 || !terms.containsKey("energy") ? " (" + parts + ")" : "");
  }

  private static String format(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e7
        ? Integer.toString((int) v)
        : String.format("%.4g", v);
  }
}
