package dev.strata.tasks.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.propose.RandomSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The uniform Countdown proposer writes well-formed derivations that use every number once, varies
 * its steps, sometimes hits the target, and keeps a partial answer's valid leading steps.
 */
class UniformCountdownProposerTest {
  static final Countdown PROBLEM = Countdown.parse("58,11,80,83,81");

  @Test
  void everyAnswerIsAValidDerivationAndSomeHitTheTarget() {
    var p = new UniformCountdownProposer();
    List<String> answers = p.propose(PROBLEM, 20_000, new RandomSource(3));
    Set<String> distinct = new HashSet<>(answers);
    int hits = 0;
    for (String a : answers) {
      assertThat(a.split(",")).as(a).hasSize(3);
      float[] terms = CountdownRules.terms(PROBLEM, a);
      // every term but the distance to the target is 0: well-formed, valid, each number used once
      for (int t = 0; t < terms.length - 1; t++) assertThat(terms[t]).as(a).isZero();
      if (CountdownRules.solves(PROBLEM, a)) hits++;
    }
    assertThat(distinct.size()).isGreaterThan(100);
    assertThat(hits).isPositive().isLessThan(answers.size() / 2);
  }

  @Test
  void theFirstOfABatchAreASmallerBatch() {
    var p = new UniformCountdownProposer();
    assertThat(p.propose(PROBLEM, 3, new RandomSource(9)))
        .isEqualTo(p.propose(PROBLEM, 10, new RandomSource(9)).subList(0, 3));
  }

  @Test
  void completeKeepsTheValidLeadingSteps() {
    var p = new UniformCountdownProposer();
    for (String a : p.complete(PROBLEM, "80-58=22,", 50, new RandomSource(4)))
      assertThat(a).startsWith("80-58=22,");
    // a step that is not a move (83 is used twice) is dropped, and the rest redrawn
    for (String a : p.complete(PROBLEM, "83+83=166,", 50, new RandomSource(4)))
      assertThat(a).doesNotStartWith("83+83");
  }
}
