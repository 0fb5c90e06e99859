package dev.strata.tasks.sudoku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class SudokuTest {
  /** Row 1 of the shared sudoku_test.csv (31–36 givens) and its solution. */
  public static final String EASY =
      "080050060460907108005000029970006500000872031300049000004025003010000480603100007";

  static final String EASY_SOLUTION =
      "789251364462937158135468729978316542546872931321549876894725613217693485653184297";

  /** The first puzzle of tdoku's magictour top1465 (hard for humans and for naive solvers). */
  public static final String HARD =
      "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";

  /** A 17-given puzzle (first line of Royle's list). */
  public static final String SEVENTEEN =
      "000000010400000000020000000000050407008000300001090000300400200050100000000806000";

  @Test
  void parsesBothBlankConventionsAndPrintsBack() {
    SudokuGrid g = SudokuGrid.parse(HARD);
    assertThat(g.filled()).isEqualTo(HARD.replace(".", "").length());
    assertThat(g.toString()).isEqualTo(HARD.replace('.', '0'));
    assertThat(SudokuGrid.parse(" " + EASY + "\n")).isEqualTo(SudokuGrid.parse(EASY));
    assertThat(SudokuGrid.parse(EASY).pretty()).startsWith(". 8 . | . 5 . | . 6 .\n");
  }

  @Test
  void rejectsBadStringsWithOneLineExplanations() {
    assertThatThrownBy(() -> SudokuGrid.parse("123"))
        .hasMessageContaining("81 characters")
        .hasMessageContaining("got 3");
    assertThatThrownBy(() -> SudokuGrid.parse("x" + EASY.substring(1)))
        .hasMessageContaining("bad character 'x' at position 1 of the puzzle (row 1, column 1)");
    assertThatThrownBy(() -> SudokuGrid.parse(EASY.substring(0, 80) + "a"))
        .hasMessageContaining("row 9, column 9");
  }

  @Test
  void solverFindsTheKnownSolutionsAndProvesUniqueness() {
    assertThat(SudokuSolver.solve(SudokuGrid.parse(EASY)))
        .contains(SudokuGrid.parse(EASY_SOLUTION));
    assertThat(SudokuSolver.countSolutions(SudokuGrid.parse(EASY), 2)).isEqualTo(1);
    for (String p : new String[] {HARD, SEVENTEEN}) {
      SudokuGrid puzzle = SudokuGrid.parse(p);
      SudokuGrid s = SudokuSolver.solve(puzzle).orElseThrow();
      assertThat(SudokuRules.solves(puzzle, s)).isTrue();
      assertThat(SudokuSolver.countSolutions(puzzle, 2)).isEqualTo(1);
    }
    assertThat(SudokuSolver.countSolutions(SudokuGrid.empty(), 5)).isEqualTo(5);
    // contradictory givens: two 5s in the first row
    assertThat(SudokuSolver.solve(SudokuGrid.parse("55" + "0".repeat(79)))).isEmpty();
  }

  @Test
  void generatorMakesUniquePuzzlesWithTheRequestedGivens() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int givens : new int[] {25, 30, 36, 45}) {
      SudokuGenerator.Generated g = SudokuGenerator.generate(givens, rng);
      assertThat(g.givens()).isEqualTo(givens).isEqualTo(g.puzzle().filled());
      assertThat(SudokuSolver.countSolutions(g.puzzle(), 2)).isEqualTo(1);
      assertThat(SudokuRules.solves(g.puzzle(), g.solution())).isTrue();
      assertThat(g.solverNodes()).isPositive();
    }
    // deterministic from the seed
    assertThat(SudokuGenerator.generate(30, new SplittableRandom(3)).puzzle())
        .isEqualTo(SudokuGenerator.generate(30, new SplittableRandom(3)).puzzle());
  }

  @Test
  void ruleEnergyIsZeroExactlyOnValidSolutions() {
    SudokuRules rules = new SudokuRules();
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      SudokuGrid solution = SudokuGenerator.randomSolution(rng);
      SudokuGrid puzzle = SudokuGrid.empty();
      for (int c = 0; c < 81; c++)
        if (rng.nextInt(3) == 0) puzzle = puzzle.with(c, solution.get(c));
      assertThat(rules.energy(puzzle, solution)).isZero();
      // a random grid of digits is (with overwhelming probability) not a solution, and never scores
      // 0 unless valid
      int[] v = new int[81];
      for (int c = 0; c < 81; c++) v[c] = 1 + rng.nextInt(9);
      SudokuGrid random = SudokuGrid.of(v);
      assertThat(rules.energy(puzzle, random) == 0).isEqualTo(isValidSolution(puzzle, random));
      // one changed cell is always caught, by a unit repeat (and a clue mismatch on a given)
      int cell = rng.nextInt(81);
      SudokuGrid wrong = solution.with(cell, 1 + (solution.get(cell) + rng.nextInt(8)) % 9);
      float e = rules.energy(puzzle, wrong);
      assertThat(e).isEqualTo(puzzle.get(cell) != 0 ? 4 : 3); // a repeat in its row, column and box
      assertThat(rules.explain(puzzle, wrong).terms())
          .containsEntry(SudokuRules.ROWS, 1f)
          .containsEntry(SudokuRules.BOXES, 1f);
      // a blank is counted
      assertThat(rules.energy(puzzle, solution.with(cell, 0)))
          .isEqualTo(puzzle.get(cell) != 0 ? 2 : 1);
    }
  }

  /**
   * An independent check of validity: every row, column and box is a permutation of 1..9, clues
   * kept.
   */
  private static boolean isValidSolution(SudokuGrid puzzle, SudokuGrid g) {
    for (int i = 0; i < 9; i++) {
      boolean[] r = new boolean[10], c = new boolean[10], b = new boolean[10];
      for (int j = 0; j < 9; j++) {
        int rv = g.get(i, j),
            cv = g.get(j, i),
            bv = g.get((i / 3) * 3 + j / 3, (i % 3) * 3 + j % 3);
        if (rv == 0 || r[rv] || c[cv] || cv == 0 || bv == 0 || b[bv]) return false;
        r[rv] = c[cv] = b[bv] = true;
      }
    }
    for (int k = 0; k < 81; k++) if (puzzle.get(k) != 0 && puzzle.get(k) != g.get(k)) return false;
    return true;
  }

  @Test
  void symmetriesMapSolutionsToSolutions() {
    SplittableRandom rng = new SplittableRandom(5);
    SudokuGrid puzzle = SudokuGrid.parse(EASY);
    SudokuGrid solution = SudokuGrid.parse(EASY_SOLUTION);
    for (int i = 0; i < 50; i++) {
      SudokuSymmetry s = SudokuSymmetry.random(rng);
      assertThat(SudokuRules.solves(s.apply(puzzle), s.apply(solution))).isTrue();
      assertThat(s.apply(puzzle).filled()).isEqualTo(puzzle.filled());
    }
    assertThat(SudokuSymmetry.identity().apply(puzzle)).isEqualTo(puzzle);
  }

  @Test
  void loadsTheSharedFilesWhenPresent(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, "quizzes,solutions\r\n" + EASY + "," + EASY_SOLUTION + "\r\n");
    var rows = SudokuData.loadCsv(csv);
    assertThat(rows).hasSize(1);
    assertThat(SudokuRules.solves(rows.get(0).puzzle(), rows.get(0).solution())).isTrue();
    Path txt = dir.resolve("p.txt");
    Files.writeString(
        txt, "Gordon F. Royle, attribution\n" + SEVENTEEN + "\n# comment\n" + HARD + "\n");
    assertThat(SudokuData.loadPuzzles(txt)).hasSize(2);
    Files.writeString(txt, SEVENTEEN + "\n" + "12\n");
    assertThatThrownBy(() -> SudokuData.loadPuzzles(txt)).hasMessageContaining("line 2");
    assertThatThrownBy(() -> SudokuData.loadCsv(dir.resolve("none.csv")))
        .hasMessageContaining("file not found");
    assertThat(SudokuData.sample(java.util.List.of(1, 2, 3, 4, 5), 3, 1))
        .hasSize(3)
        .doesNotHaveDuplicates();
  }
}
