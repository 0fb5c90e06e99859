package dev.strata.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Training metrics as JSON Lines: one object per line, e.g. {@code {"step":100,"kind":"train",
 * "loss":1.93,"lr":3e-4,"grad_norm":0.41,"tokens_per_s":11800,"wall_s":62.5}}, appended and flushed
 * line by line so a crash loses at most the line being written and a plot can read the file while
 * training runs.
 */
public final class MetricsLog implements AutoCloseable {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final BufferedWriter out;

  private MetricsLog(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Opens {@code file} for appending (creating it and its directory if needed). */
  public static MetricsLog open(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      return new MetricsLog(
          file,
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Starts {@code file} afresh (an existing log of an earlier run is replaced). */
  public static MetricsLog create(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot replace metrics log " + file + ": " + e.getMessage(), e);
    }
    return open(file);
  }

  /**
   * Opens {@code file} to continue a run resumed at {@code step}: records with a larger step
   * (written after the checkpoint by the interrupted run) are dropped first, so the log reads as
   * one uninterrupted run. The rewrite goes through a temporary file and an atomic rename.
   */
  public static MetricsLog resume(Path file, long step) {
    if (Files.exists(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.isBlank()) continue;
          if (i == lines.size() - 1 && !line.endsWith("}")) continue; // a line cut short by a crash
          JsonNode n = parse(file, line);
          if (!n.has("step") || n.get("step").asLong() <= step) kept.add(line);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot rewrite metrics log " + file + ": " + e.getMessage(), e);
      }
    }
    return open(file);
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one record: {@code step}, then {@code values} in order (numbers, strings, booleans).
   */
  public synchronized void log(long step, Map<String, ?> values) {
    ObjectNode node = JSON.createObjectNode();
    node.put("step", step);
    values.forEach(
        (k, v) -> {
          switch (v) {
            case null -> node.putNull(k);
            case Double d -> node.put(k, d);
            case Float f -> node.put(k, f);
            case Long l -> node.put(k, l);
            case Integer i -> node.put(k, i);
            case Boolean b -> node.put(k, b);
            default -> node.put(k, v.toString());
          }
        });
    try {
      out.write(JSON.writeValueAsString(node));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot append to metrics log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- reading back

  /**
   * Every record of a metrics file, as field → value (numbers as Double or Long, strings,
   * booleans).
   */
  public static List<Map<String, Object>> read(Path file) {
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        Map<String, Object> record = new LinkedHashMap<>();
        for (var p : parse(file, line).properties()) {
          JsonNode v = p.getValue();
          record.put(
              p.getKey(),
              v.isIntegralNumber()
                  ? (Object) v.asLong()
                  : v.isNumber()
                      ? (Object) v.asDouble()
                      : v.isBoolean() ? (Object) v.asBoolean() : v.isNull() ? null : v.asString());
        }
        out.add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics log " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** One point of a metric's curve. */
  public record Point(long step, double value) {}

  /**
   * The curve of {@code key} over steps: every record that has a numeric {@code key}, in file
   * order.
   */
  public static List<Point> series(Path file, String key) {
    List<Point> out = new ArrayList<>();
    for (Map<String, Object> r : read(file)) {
      if (r.get(key) instanceof Number v && r.get("step") instanceof Number s)
        out.add(new Point(s.longValue(), v.doubleValue()));
    }
    return out;
  }

  /** A curve as {@code {steps, values}}, the shape {@code Plots} takes. */
  public static double[][] xy(List<Point> points) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i).step();
      y[i] = points.get(i).value();
    }
    return new double[][] {x, y};
  }

  /** The median value of a curve, or {@code empty} when it has no points. */
  public static double median(List<Point> points, double empty) {
    return points.stream()
        .mapToDouble(Point::value)
        .sorted()
        .skip(points.size() / 2)
        .findFirst()
        .orElse(empty);
  }

  private static JsonNode parse(Path file, String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (!n.isObject())
        throw new IllegalArgumentException(file + ": metrics line is not a JSON object: " + line);
      return n;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          file + ": metrics line is not valid JSON (" + e.getOriginalMessage() + "): " + line, e);
    }
  }
}
