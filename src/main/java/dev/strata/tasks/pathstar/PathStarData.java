package dev.strata.tasks.pathstar;

import dev.strata.propose.ArTraining;
import dev.strata.tasks.TaskFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Loads the published path-star test files (evaluation only) and makes generated training examples.
 */
public final class PathStarData {
  private PathStarData() {}

  public static List<PathStar.Example> load(Path file) {
    List<String> lines = TaskFiles.readLines(file, StandardCharsets.UTF_8);
    List<PathStar.Example> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      try {
        out.add(PathStar.parse(lines.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Generated examples for one model over several settings: the examples of step s (indices {@code
   * [s·batch, (s+1)·batch)}) all come from setting {@code s mod settings.length}, so a batch shares
   * its sequence lengths.
   *
   * @param settings {degree, pathLength} pairs
   */
  public static ArTraining.ExampleSource examples(
      int[][] settings, int nodes, int batch, long seed) {
    PathStarCodec codec = new PathStarCodec(nodes);
    return i -> {
      int[] s =
          settings[(int) Math.floorMod(Math.floorDiv(i, (long) batch), (long) settings.length)];
      PathStar.Example e =
          PathStarGenerator.generate(
              s[0], s[1], nodes, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i));
      return new ArTraining.Example(codec.prompt(e.problem()), codec.answer(e.problem(), e.path()));
    };
  }
}
