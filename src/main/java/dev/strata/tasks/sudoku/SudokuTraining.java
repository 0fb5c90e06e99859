package dev.strata.tasks.sudoku;

import dev.strata.propose.ArTraining;
import dev.strata.propose.LmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training data and the CPU model for the Sudoku AR proposer. The data are our own: a pool of
 * generated puzzles with unique solutions ({@link SudokuGenerator}, givens drawn uniformly from
 * {@code [minGivens, maxGivens]}), cached on disk, and every example a random {@link
 * SudokuSymmetry} of a pool puzzle (about 2.4·10⁹ variants each), so the model sees few exact
 * repeats. Validation puzzles come from a separately seeded pool. The shared evaluation files are
 * never read.
 */
public final class SudokuTraining {
  public static final String TASK = "sudoku";

  private SudokuTraining() {}

  /** A transformer of 4 attention layers, width 128, context 162 (81 + 1 + 80). */
  public static LmConfig cpuModel() {
    return new LmConfig("transformer", 11, 128, "AAAA", 4, 64, 32, 2, 64, 162);
  }

  /**
   * A pool of generated puzzle–solution pairs, read from {@code cache} if it holds this pool, else
   * generated and written there.
   */
  public static List<SudokuGenerator.Generated> pool(
      int size, int minGivens, int maxGivens, long seed, Path cache) {
    Path file =
        cache == null
            ? null
            : cache.resolve(
                "pool-" + size + "-" + minGivens + "-" + maxGivens + "-" + seed + ".txt");
    if (file != null && Files.isRegularFile(file)) {
      try {
        List<SudokuGenerator.Generated> out = new ArrayList<>(size);
        for (String line : Files.readAllLines(file)) {
          String[] p = line.split(",");
          SudokuGrid puzzle = SudokuGrid.parse(p[0]);
          out.add(
              new SudokuGenerator.Generated(puzzle, SudokuGrid.parse(p[1]), puzzle.filled(), 0));
        }
        if (out.size() == size) return out;
      } catch (IOException | RuntimeException e) {
        // regenerate below
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<SudokuGenerator.Generated> out = new ArrayList<>(size);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < size; i++) {
      int givens = minGivens + rng.nextInt(maxGivens - minGivens + 1);
      SudokuGenerator.Generated g = SudokuGenerator.generate(givens, rng.split());
      out.add(g);
      text.append(g.puzzle()).append(',').append(g.solution()).append('\n');
    }
    if (file != null) dev.strata.train.AtomicFiles.writeString(file, text.toString());
    return out;
  }

  /**
   * Example {@code i}: pool puzzle {@code i mod size} under a random symmetry seeded by {@code i}
   * (none when {@code augment} is off).
   */
  public static ArTraining.ExampleSource examples(
      List<SudokuGenerator.Generated> pool, long seed, boolean augment) {
    SudokuCodec codec = new SudokuCodec();
    return i -> {
      SudokuGenerator.Generated g = pool.get((int) Math.floorMod(i, (long) pool.size()));
      SudokuSymmetry s =
          augment
              ? SudokuSymmetry.random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i))
              : SudokuSymmetry.identity();
      SudokuGrid puzzle = s.apply(g.puzzle());
      return new ArTraining.Example(
          codec.prompt(puzzle), codec.answer(puzzle, s.apply(g.solution())));
    };
  }
}
