package dev.strata.bench.sequence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runs of several result files of one sequence task (e.g. parts of a sweep run in parallel)
 * read back as one result, training nothing ({@code strata bench sequence --merge}).
 *
 * @param runs every file's runs, in file order
 * @param parts per file: its path, budget, threads and provenance, as the merged JSON names them
 */
public record SequenceMerge(List<ModelRun> runs, List<Map<String, Object>> parts) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Reads {@code files}, each a result of {@code task}.
   *
   * @throws IllegalArgumentException for a task without training runs, a missing or unreadable
   *     file, or a file of another task
   */
  public static SequenceMerge read(String task, List<Path> files) {
    if (!SequencePlan.TASKS.contains(task)) {
      throw new IllegalArgumentException(
          "--merge combines mqar, induction, selcopy or copy results, not '" + task + "'");
    }
    List<ModelRun> runs = new ArrayList<>();
    List<Map<String, Object>> parts = new ArrayList<>();
    for (Path part : files) {
      if (!Files.isRegularFile(part))
        throw new IllegalArgumentException("--merge: no result file at " + part);
      JsonNode root;
      try {
        root = JSON.readTree(part.toFile());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--merge: "
                + part
                + " is not a JSON result ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
      if (!task.equals(root.path("task").asString(""))) {
        throw new IllegalArgumentException(
            "--merge: "
                + part
                + " holds a '"
                + root.path("task").asString("?")
                + "' result, not "
                + task);
      }
      for (JsonNode r : root.path("runs")) runs.add(JSON.treeToValue(r, ModelRun.class));
      Map<String, Object> partInfo = new LinkedHashMap<>();
      partInfo.put("file", part.toString());
      partInfo.put("budget", root.path("budget").asString(""));
      partInfo.put("threads", root.path("engine").path("threads").asInt(0));
      partInfo.put("provenance", root.get("provenance")); // null for parts written before it
      parts.add(Collections.unmodifiableMap(partInfo));
    }
    return new SequenceMerge(List.copyOf(runs), Collections.unmodifiableList(parts));
  }
}
