package dev.strata.cli;

import dev.strata.train.ResultJson;
import java.nio.file.Path;

/**
 * The JSON result every {@code bench} command writes: indented, with a provenance block, written
 * atomically ({@link ResultJson}), its path printed.
 */
final class BenchJson {
  private BenchJson() {}

  static void write(Path json, Object root) {
    ResultJson.write(json, root);
    System.out.println("\nwrote " + json);
  }
}
