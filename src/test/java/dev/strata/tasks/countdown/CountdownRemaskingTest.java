package dev.strata.tasks.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The rules blame Countdown answers from their first faulty step on; remasking keeps the sound
 * prefix.
 */
class CountdownRemaskingTest {
  static final Countdown P = Countdown.parse("58,11,80,83,81");

  @Test
  void blameStartsAtTheFirstFaultyStep() {
    assertThat(CountdownRules.firstFault(P, "80-58=22,22/11=2,83-2=81")).isEqualTo(-1);
    assertThat(CountdownRules.firstFault(P, "80-58=22,22/11=3,83-3=80"))
        .isEqualTo(9); // wrong arithmetic in step 2
    assertThat(CountdownRules.firstFault(P, "80-58=22,22/7=2,83-2=81"))
        .isEqualTo(9); // 7 is not available
    assertThat(CountdownRules.firstFault(P, "80-58=22,22/11=2,83+2=85"))
        .isEqualTo(17); // sound steps, target missed
    assertThat(CountdownRules.firstFault(P, "80-5")).isZero(); // malformed
    var remasking = new CountdownRemasking();
    String wrong = "80-58=22,22/11=3,83-3=80";
    int[] blamed = remasking.blamed(P, wrong);
    assertThat(blamed[0]).isEqualTo(9);
    assertThat(remasking.open(P, wrong, blamed)).isEqualTo("80-58=22,");
    assertThat(remasking.blamed(P, "80-58=22,22/11=2,83-2=81")).isEmpty();
  }
}
