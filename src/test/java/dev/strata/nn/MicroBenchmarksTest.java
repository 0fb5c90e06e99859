package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The build generates the JMH harness for every micro-benchmark, so {@code bench/jmh} can run them
 * (without the annotation processor configured in the pom, the list would be missing or stale).
 */
class MicroBenchmarksTest {
  @Test
  void everyBenchmarkMethodIsInJmhsGeneratedList() throws IOException {
    String list;
    try (InputStream in =
        MicroBenchmarksTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList on the test classpath").isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long count = 0;
    for (Class<?> c : new Class<?>[] {Mamba2Bench.class, MemoryBench.class}) {
      for (Method m : c.getDeclaredMethods()) {
        if (!m.isAnnotationPresent(Benchmark.class)) continue;
        // Each entry names the harness JMH generated for the method.
        assertThat(list)
            .contains(
                c.getPackageName()
                    + ".jmh_generated."
                    + c.getSimpleName()
                    + "_"
                    + m.getName()
                    + "_jmhTest");
        count++;
      }
    }
    assertThat(count).isEqualTo(7);
    assertThat(Arrays.stream(list.split("\n")).filter(l -> !l.isBlank())).hasSize(7);
  }
}
