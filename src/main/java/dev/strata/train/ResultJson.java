package dev.strata.train;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one writer of result JSON (bench and evaluation results): the result as an indented object
 * with a {@code "provenance"} block ({@link Provenance#current()}) appended, written atomically.
 */
public final class ResultJson {
  /** The field that holds the {@link Provenance}. */
  public static final String PROVENANCE = "provenance";

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ResultJson() {}

  /**
   * Writes {@code result} (a record, map or JSON object) to {@code file} with the current
   * provenance.
   *
   * @throws IllegalArgumentException if {@code result} is not a JSON object
   */
  public static void write(Path file, Object result) {
    JsonNode tree = JSON.valueToTree(result);
    if (!(tree instanceof ObjectNode root)) {
      throw new IllegalArgumentException(
          "a result JSON is an object, not " + tree.getNodeType() + " (" + file + ")");
    }
    root.set(PROVENANCE, JSON.valueToTree(Provenance.current()));
    AtomicFiles.writeString(file, JSON.writeValueAsString(root));
  }
}
