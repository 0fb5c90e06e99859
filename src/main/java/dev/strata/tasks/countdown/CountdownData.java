package dev.strata.tasks.countdown;

import dev.strata.propose.ArTraining;
import dev.strata.tasks.TaskFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loads the CD4 JSONL files (evaluation only) and makes generated training examples. */
public final class CountdownData {
  private CountdownData() {}

  /** A problem with the reference solution of the file. */
  public record Example(Countdown problem, String reference) {}

  public static List<Example> load(Path file) {
    List<String> lines = TaskFiles.readLines(file, StandardCharsets.UTF_8);
    var json = JsonMapper.builder().build();
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      try {
        JsonNode n = json.readTree(lines.get(i));
        out.add(
            new Example(Countdown.parse(n.get("input").asString()), n.path("output").asString("")));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": not a CD4 row ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
    }
    return out;
  }

  /** Generated training example {@code i} (seeded by the index). */
  public static ArTraining.ExampleSource examples(long seed) {
    CountdownCodec codec = new CountdownCodec();
    return i -> {
      CountdownGenerator.Generated g =
          CountdownGenerator.generate(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i), 10, 99);
      return new ArTraining.Example(
          codec.prompt(g.problem()), codec.answer(g.problem(), g.solution()));
    };
  }
}
