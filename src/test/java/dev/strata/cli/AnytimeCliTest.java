package dev.strata.cli;

import org.junit.jupiter.api.Test;

/** {@code strata bench anytime}'s bad input: one line naming the problem, exit code 2. */
class AnytimeCliTest {
  @Test
  void badInputIsOneLineAndExitCode2() {
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "chess"), "unknown task 'chess'");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--budgets", "4,0"),
        "--budgets must be positive");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--budgets", "16,4"),
        "strictly ascending");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--searches", "beam"),
        "unknown search 'beam'");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--proposers", ""),
        "unknown proposer ''");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--ar-checkpoint", "no/such/run"),
        "no ar checkpoint at no/such/run");
    CliTest.assertUserError(
        CliTest.run("bench", "anytime", "--task", "countdown", "--checkpoint", "rlvr=x"),
        "unknown proposer 'rlvr'");
  }
}
