package dev.strata.cli;

import dev.strata.train.AtomicFiles;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON result every {@code bench} command writes: indented, written atomically, its path
 * printed.
 */
final class BenchJson {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private BenchJson() {}

  static void write(Path json, Object root) {
    AtomicFiles.writeString(json, JSON.writeValueAsString(root));
    System.out.println("\nwrote " + json);
  }
}
