package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reasoning commands as a user meets them: answers with evidence, one-line errors with exit
 * code 2.
 */
class ReasoningCliTest {
  static final String EASY =
      "080050060460907108005000029970006500000872031300049000004025003010000480603100007";

  @Test
  void solvesASudokuAndShowsTheEnergyAndTheSearch() {
    CliTest.Run r = CliTest.run("solve", "sudoku", EASY.replace('0', '.'));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("solution:")
        .contains(
            "789251364462937158135468729978316542546872931321549876894725613217693485653184297")
        .contains(
            "energy:    E=0 (row repeats=0, column repeats=0, box repeats=0, clue mismatches=0, blank cells=0)")
        .contains("proposals")
        .contains("energy evaluations");
  }

  @Test
  void malformedSudokusAreOneLineAndExitCode2() {
    CliTest.assertUserError(CliTest.run("solve", "sudoku", "123"), "81 characters");
    CliTest.assertUserError(
        CliTest.run("solve", "sudoku", "x" + EASY.substring(1)), "bad character 'x' at position 1");
    CliTest.assertUserError(
        CliTest.run("solve", "sudoku", "55" + "0".repeat(79)), "digit 5 appears twice in row 1");
    // no repeated given, yet cell 1 can hold nothing: row 1 has 2-5, column 1 has 6-9, box 1 has 1
    String dead =
        "0"
            + "2345"
            + "0".repeat(4)
            + "0".repeat(9)
            + "01"
            + "0".repeat(7)
            + "6"
            + "0".repeat(8)
            + "7"
            + "0".repeat(8)
            + "8"
            + "0".repeat(8)
            + "9"
            + "0".repeat(8)
            + "0".repeat(18);
    CliTest.assertUserError(CliTest.run("solve", "sudoku", dead), "no solution");
    CliTest.assertUserError(
        CliTest.run("solve", "sudoku", EASY, "--checkpoint", "no/such/run"),
        "checkpoint not found");
  }

  @Test
  void solvesPathStarAndCountdownWithTheSearchAlone() {
    CliTest.Run p = CliTest.run("solve", "pathstar", "2,8|5,2|5,9|9,3/5,8");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("path:      5,2,8").contains("E=0");
    CliTest.Run c = CliTest.run("solve", "countdown", "58,11,80,83,81");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("answer:").contains("E=0");
    CliTest.assertUserError(
        CliTest.run("solve", "countdown", "1,1,1,1,97"),
        "no solution: 97 cannot be reached from 1,1,1,1");
    CliTest.assertUserError(
        CliTest.run("solve", "countdown", "1,2,x,4,5"), "'x' is not a whole number");
    CliTest.assertUserError(CliTest.run("solve", "pathstar", "2,8|5,2/5"), "expected 2 numbers");
    CliTest.assertUserError(
        CliTest.run("solve", "pathstar", "2,8|5,2|5,9|9,3/5,9"), "not the end of an arm");
  }

  @Test
  void unknownTasksAreOneLineAndExitCode2() {
    CliTest.assertUserError(
        CliTest.run("train", "reasoning", "--task", "chess"), "unknown task 'chess'");
    CliTest.assertUserError(
        CliTest.run("bench", "reasoning", "--task", "chess"), "unknown task 'chess'");
    CliTest.assertUserError(
        CliTest.run("bench", "reasoning", "--task", "sudoku", "--checkpoint", "no/such/run"),
        "no trained proposer");
  }
}
