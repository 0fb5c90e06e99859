package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import org.junit.jupiter.api.Test;

class CrossEntropyMethodTest {

  private static final float[] CENTRE = Bowl.CENTRE;
  private static final Proposer<float[], float[]> GAUSSIAN = Bowl.GAUSSIAN;
  private static final Energy<float[], float[]> BOWL = Bowl.ENERGY;

  private static CrossEntropyMethod<float[]> cem(long seed) {
    return new CrossEntropyMethod<>(100, 10, 25, seed, c -> c.length);
  }

  @Test
  void findsTheMinimumOfAQuadratic() {
    CrossEntropyMethod<float[]> cem = cem(5);
    Outcome<float[]> o = cem.run(CENTRE, GAUSSIAN, BOWL, cem.fullBudget());
    assertThat(o.proposals()).isEqualTo(2500);
    assertThat(o.trace()).hasSize(25);
    assertThat(o.energy()).isLessThan(0.05f);
    assertThat(o.trace()[24]).isLessThan(o.trace()[0] / 100);
    for (int j = 0; j < CENTRE.length; j++)
      assertThat(o.best()[j]).isCloseTo(CENTRE[j], within(0.1f));
  }

  @Test
  void sameSeedSameResultAndTheThresholdStopsIt() {
    assertThat(cem(7).run(CENTRE, GAUSSIAN, BOWL, cem(7).fullBudget()).best())
        .containsExactly(cem(7).run(CENTRE, GAUSSIAN, BOWL, cem(7).fullBudget()).best());
    Outcome<float[]> early = cem(7).run(CENTRE, GAUSSIAN, BOWL, Budget.proposals(2500, 0.5));
    assertThat(early.stop()).isEqualTo(Outcome.StopReason.ACCEPTED);
    assertThat(early.energy()).isLessThanOrEqualTo(0.5f);
    assertThat(early.proposals()).isLessThan(2500);
  }

  @Test
  void rejectsMoreElitesThanSamples() {
    assertThatThrownBy(() -> new CrossEntropyMethod<float[]>(10, 11, 5, 0, c -> c.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("elites");
  }
}
