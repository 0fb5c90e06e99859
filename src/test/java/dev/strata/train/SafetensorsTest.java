package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The safetensors reader and writer: round trip, PyTorch interop, and strict refusal of bad files.
 */
class SafetensorsTest {
  @TempDir Path dir;

  private Map<String, Tensor> sample() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put(
        "blocks.0.attn.weight",
        Ops.tensor(new float[] {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f}, 2, 3));
    t.put("f64", Ops.tensor(new double[] {Math.PI, -1e300, 0.1}, 3));
    t.put("ids", Ops.tensor(new long[] {0, -1, Long.MAX_VALUE, 42}, 2, 2));
    t.put("bf16", Ops.to(Ops.tensor(new float[] {1f, -0.5f, 3.140625f, 256f}, 4), DType.BFLOAT16));
    t.put("scalar", Ops.tensor(new float[] {0.25f}));
    t.put("empty", Ops.zeros(0, 3));
    return t;
  }

  @Test
  void roundTripKeepsNamesDtypesShapesValuesAndMetadata() {
    try (PointerScope s = new PointerScope()) {
      Path file = dir.resolve("t.safetensors");
      Map<String, Tensor> written = sample();
      Safetensors.write(file, written, Map.of("format", "pt", "note", "ünïcödé"));
      Safetensors.Contents read = Safetensors.read(file);
      assertThat(read.metadata())
          .containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "note", "ünïcödé"));
      assertThat(read.tensors().keySet()).containsExactlyInAnyOrderElementsOf(written.keySet());
      written.forEach(
          (name, t) -> {
            Tensor r = read.tensors().get(name);
            assertThat(Ops.dtype(r)).as(name).isEqualTo(Ops.dtype(t));
            assertThat(Ops.shape(r)).as(name).isEqualTo(Ops.shape(t));
            assertThat(Ops.bytes(r)).as(name).isEqualTo(Ops.bytes(t));
          });
      // The data starts 8-byte aligned, as the reference writer does it.
      assertThat(headerLength(file) % 8).isZero();
    }
  }

  @Test
  void fileWrittenByStrataOpensInPyTorch() throws Exception {
    String python = pythonWithTorch();
    // A skipped check is not a passed one: in CI (.ci/run installs Debian's python3-torch) a
    // missing torch fails the test; elsewhere it skips with what to install.
    String missing =
        "no Python with torch (tried $STRATA_PYTHON, "
            + String.join(", ", PYTHON_CANDIDATES)
            + "): install one, e.g. apt-get install python3-torch";
    if (python == null && "true".equalsIgnoreCase(System.getenv("CI"))) fail(missing);
    Assumptions.assumeTrue(python != null, missing);
    try (PointerScope s = new PointerScope()) {
      Path file = dir.resolve("interop.safetensors");
      Map<String, Tensor> written = sample();
      Safetensors.write(file, written, Map.of("format", "pt"));
      Process p =
          new ProcessBuilder(python, "src/test/python/read_safetensors.py", file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("python output: %s", out).isZero();
      JsonNode json = new ObjectMapper().readTree(out);
      assertThat(json.get("metadata").get("format").asString()).isEqualTo("pt");
      written.forEach(
          (name, t) -> {
            JsonNode e = json.get("tensors").get(name);
            assertThat(e).as(name).isNotNull();
            assertThat(e.get("dtype").asString()).isEqualTo(Ops.dtype(t).safetensorsName);
            long[] shape = new long[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asLong();
            assertThat(shape).as(name).isEqualTo(Ops.shape(t));
            double[] expected = Ops.dtype(t) == DType.INT64 ? null : Ops.doubles(t);
            long[] expectedLongs = Ops.dtype(t) == DType.INT64 ? Ops.longs(t) : null;
            for (int i = 0; i < e.get("values").size(); i++) {
              if (expected != null) {
                assertThat(e.get("values").get(i).asDouble())
                    .as("%s[%d]", name, i)
                    .isEqualTo(expected[i]);
              } else {
                assertThat(e.get("values").get(i).asDouble())
                    .as("%s[%d]", name, i)
                    .isEqualTo((double) expectedLongs[i]);
              }
            }
          });
    }
  }

  /** Where a Python with torch may be, after {@code $STRATA_PYTHON}. */
  static final List<String> PYTHON_CANDIDATES =
      List.of("/work/venv/bin/python", "python3", "/usr/bin/python3");

  /**
   * The first of {@code $STRATA_PYTHON} and {@link #PYTHON_CANDIDATES} that can import torch
   * (Debian's python3-torch serves /usr/bin/python3, which another python3 on PATH may hide).
   */
  static String pythonWithTorch() {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("STRATA_PYTHON");
    if (env != null && !env.isBlank()) candidates.add(env);
    candidates.addAll(PYTHON_CANDIDATES);
    for (String candidate : candidates) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
      } catch (IOException | InterruptedException e) {
        // not available: try the next one
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- strict reading

  private Path raw(String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return rawWithLength(h.length, h, dataBytes);
  }

  private Path rawWithLength(long length, byte[] header, int dataBytes) throws IOException {
    ByteBuffer b =
        ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length).put(header);
    Path file = Files.createTempFile(dir, "bad", ".safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static long headerLength(Path file) {
    try {
      return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
          .order(ByteOrder.LITTLE_ENDIAN)
          .getLong();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertRefused(Path file, String... fragments) {
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContainingAll(fragments)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void refusesAnImplausibleHeaderLength() throws IOException {
    assertRefused(
        rawWithLength(1L << 40, "{}".getBytes(StandardCharsets.UTF_8), 0),
        "header length 1099511627776");
    assertRefused(
        rawWithLength(500, "{}".getBytes(StandardCharsets.UTF_8), 0),
        "truncated",
        "header needs 500 bytes");
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertRefused(tiny, "3 bytes", "too few");
  }

  @Test
  void refusesInvalidJson() throws IOException {
    assertRefused(raw("{\"a\": {\"dtype\": \"F32\",", 0), "header is not valid JSON");
    assertRefused(raw("[1, 2]", 0), "not a JSON object");
    assertRefused(
        raw(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            8),
        "not valid JSON",
        "uplicate");
    assertRefused(
        raw("{\"__metadata__\": {\"k\": 3}}", 0), "__metadata__ entry 'k' is not a string");
  }

  @Test
  void refusesOverlappingOrHoleyOffsets() throws IOException {
    assertRefused(
        raw(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            12),
        "overlaps");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
        "unused bytes 0..4");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12),
        "8 bytes follow");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8), "begin > end");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,-4]}}", 8),
        "non-negative");
  }

  @Test
  void refusesUnknownDtypeAndShapeThatDoesNotFitTheSpan() throws IOException {
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
        "tensor 'a' has dtype 'F16'",
        "F32, F64, BF16, I64");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16),
        "shape [2, 3] of F32 needs 24 bytes",
        "span 16");
    assertRefused(
        raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8),
        "exactly dtype, shape and data_offsets");
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    try (PointerScope s = new PointerScope()) {
      Path file = dir.resolve("whole.safetensors");
      Safetensors.write(file, sample(), Map.of());
      byte[] all = Files.readAllBytes(file);
      Path cut = dir.resolve("cut.safetensors");
      Files.write(cut, java.util.Arrays.copyOf(all, all.length - 5));
      assertRefused(cut, "file is truncated", "data bytes but only");
    }
  }
}
