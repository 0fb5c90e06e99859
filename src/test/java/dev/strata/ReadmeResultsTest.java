package dev.strata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every result JSON the README cites ({@code results/….json}) is in the repository, parses, and
 * carries a provenance block (results/README.md describes the convention).
 */
class ReadmeResultsTest {
  /** A results/ path, not the tail of another path such as bench/results/x.json. */
  private static final Pattern CITED =
      Pattern.compile("(?<![\\w./-])results/[^\\s)`'\"\\]]+\\.json");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** One line per cited file that is missing, not JSON, or without provenance. */
  static List<String> problems(String readme, Path root) {
    List<String> problems = new ArrayList<>();
    Matcher m = CITED.matcher(readme);
    while (m.find()) {
      String cited = m.group();
      Path file = root.resolve(cited).normalize();
      if (!file.startsWith(root.resolve("results").normalize())) {
        problems.add(cited + ": outside results/");
      } else if (!Files.isRegularFile(file)) {
        problems.add(cited + ": cited in README.md but not in the repository");
      } else {
        try {
          JsonNode n = JSON.readTree(file.toFile());
          JsonNode p = n == null ? null : n.get("provenance");
          if (p == null || !p.isObject() || !p.has("command"))
            problems.add(cited + ": has no provenance block (copy the JSON the command wrote)");
        } catch (RuntimeException e) {
          problems.add(
              cited + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
      }
    }
    return problems;
  }

  @Test
  void everyResultJsonTheReadmeCitesIsCommittedWithProvenance() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    assertThat(problems(Files.readString(root.resolve("README.md")), root)).isEmpty();
  }

  @Test
  void missingUnparsableAndProvenanceFreeFilesAreReported(@TempDir Path root) throws IOException {
    Path results = Files.createDirectories(root.resolve("results"));
    Files.writeString(
        results.resolve("good.json"),
        "{\"x\": NaN, \"provenance\": {\"command\": \"strata bench\"}}");
    Files.writeString(results.resolve("bare.json"), "{\"x\": 1}");
    Files.writeString(results.resolve("broken.json"), "{\"x\": ");
    String readme =
        "| row | 1.0 | [json](results/good.json) |\n"
            + "| row | 2.0 | `results/bare.json` |\n"
            + "| row | 3.0 | results/broken.json, results/gone.json |\n"
            + "plots: bench/results/other.json is not a results/ citation\n";
    List<String> found = problems(readme, root);
    assertThat(found).hasSize(3);
    assertThat(found.get(0))
        .isEqualTo("results/bare.json: has no provenance block (copy the JSON the command wrote)");
    assertThat(found.get(1)).startsWith("results/broken.json: not JSON");
    assertThat(found.get(2))
        .isEqualTo("results/gone.json: cited in README.md but not in the repository");
  }
}
