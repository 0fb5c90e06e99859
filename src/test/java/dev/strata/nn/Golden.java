package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Golden values from PyTorch. Each {@code src/test/python/golden_<family>.py} builds the same
 * layers with the same deterministic inputs and parameters ({@link #det}, {@link #fill}; the
 * formulas live in {@code golden_common.py}) and writes {@code
 * src/test/resources/golden/<family>.json}; the Java tests assert their outputs match.
 */
public final class Golden {
  private static final java.util.Map<String, JsonNode> FILES = new java.util.HashMap<>();

  private Golden() {}

  /**
   * Deterministic values {@code scale·sin(0.7·i + seed)} as float32 — the Python script uses the
   * same formula.
   */
  public static Tensor det(double seed, double scale, long... shape) {
    long n = 1;
    for (long s : shape) n *= s;
    float[] v = new float[(int) n];
    for (int i = 0; i < n; i++) v[i] = (float) (scale * Math.sin(0.7 * i + seed));
    return Ops.tensor(v, shape);
  }

  /** A seed from a parameter name: Σ (i+1)·char mod 997, over 10. */
  public static double nameSeed(String name) {
    long s = 0;
    for (int i = 0; i < name.length(); i++) s += (long) (i + 1) * name.charAt(i);
    return (s % 997) / 10.0;
  }

  /** Sets every parameter and float buffer to {@code det(nameSeed(name), scale, shape)}. */
  public static void fill(Module m, double scale) {
    try (var g = Ops.noGrad()) {
      m.stateDict()
          .forEach(
              (name, t) -> {
                if (Ops.dtype(t) != DType.INT64) t.copy_(det(nameSeed(name), scale, Ops.shape(t)));
              });
    }
  }

  /**
   * Case {@code family.case} lives in {@code golden/family.json}, written by {@code
   * src/test/python/golden_family.py}.
   */
  public static synchronized JsonNode get(String name) {
    String family = name.substring(0, name.indexOf('.'));
    JsonNode cases =
        FILES.computeIfAbsent(
            family,
            f -> {
              try (InputStream in = Golden.class.getResourceAsStream("/golden/" + f + ".json")) {
                assertThat(in)
                    .as("golden/%s.json (run src/test/python/golden_%s.py)", f, f)
                    .isNotNull();
                return new ObjectMapper().readTree(in);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    JsonNode c = cases.get(name);
    assertThat(c)
        .as("golden case '%s' (run src/test/python/golden_%s.py)", name, family)
        .isNotNull();
    return c;
  }

  /** Asserts shape and every value of {@code actual} against golden case {@code name}. */
  public static void assertMatches(String name, Tensor actual, double tol) {
    JsonNode c = get(name);
    long[] shape = new long[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) shape[i] = c.get("shape").get(i).asLong();
    assertThat(Ops.shape(actual)).as("%s shape", name).isEqualTo(shape);
    double[] got = Ops.doubles(actual);
    JsonNode values = c.get("values");
    assertThat(got.length).isEqualTo(values.size());
    double maxErr = 0;
    for (int i = 0; i < got.length; i++)
      maxErr = Math.max(maxErr, Math.abs(got[i] - values.get(i).asDouble()));
    assertThat(maxErr)
        .as(
            "%s: max |strata − pytorch| (first values %s)",
            name, Arrays.toString(Arrays.copyOf(got, Math.min(4, got.length))))
        .isLessThan(tol);
  }
}
