package dev.strata.tasks.sudoku;

import dev.strata.tasks.TaskFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Loads the shared Sudoku evaluation files (never used for training): the {@code quizzes,solutions}
 * CSV of the "Beyond Autoregression" benchmark, and plain puzzle lists with one 81-character puzzle
 * per line ({@code '#'} comments and a leading attribution line, as in {@code sudoku17.txt}, are
 * skipped).
 */
public final class SudokuData {

  /** A puzzle with its known solution (null when the file gives none). */
  public record Example(SudokuGrid puzzle, SudokuGrid solution) {}

  private SudokuData() {}

  /** Rows of a {@code quizzes,solutions} CSV (header required; CRLF or LF). */
  public static List<Example> loadCsv(Path file) {
    List<String> lines = read(file);
    if (lines.isEmpty() || !lines.get(0).strip().equals("quizzes,solutions")) {
      throw new IllegalArgumentException(
          file
              + " is not a quizzes,solutions CSV (first line: "
              + (lines.isEmpty() ? "<empty>" : lines.get(0).strip())
              + ")");
    }
    List<Example> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) continue;
      String[] parts = line.split(",");
      if (parts.length != 2)
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected quiz,solution");
      try {
        out.add(new Example(SudokuGrid.parse(parts[0]), SudokuGrid.parse(parts[1])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * One puzzle per line; blank lines, '#' comments and a non-puzzle first line (an attribution) are
   * skipped.
   */
  public static List<SudokuGrid> loadPuzzles(Path file) {
    List<String> lines = read(file);
    List<SudokuGrid> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (i == 0 && !line.matches("[0-9.]{81}")) continue;
      try {
        out.add(SudokuGrid.parse(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * {@code n} distinct items drawn uniformly without replacement (all of them, shuffled, if n ≥
   * size).
   */
  public static <T> List<T> sample(List<T> items, int n, long seed) {
    List<T> copy = new ArrayList<>(items);
    SplittableRandom rng = new SplittableRandom(seed);
    int k = Math.min(n, copy.size());
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(copy.size() - i);
      T t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return List.copyOf(copy.subList(0, k));
  }

  private static List<String> read(Path file) {
    return TaskFiles.readLines(file, StandardCharsets.ISO_8859_1);
  }
}
