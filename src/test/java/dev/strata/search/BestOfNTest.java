package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestOfNTest {

  /** Proposes uniform integers in [0, 100). */
  static final Proposer<Integer, Integer> UNIFORM =
      new Proposer<>() {
        @Override
        public List<Integer> propose(Integer target, int n, RandomSource rng) {
          List<Integer> out = new ArrayList<>();
          for (int i = 0; i < n; i++) out.add(rng.nextInt(100));
          return out;
        }

        @Override
        public List<Integer> complete(Integer target, Integer partial, int n, RandomSource rng) {
          return propose(target, n, rng);
        }
      };

  /** Distance to the target. */
  static final Energy<Integer, Integer> DISTANCE =
      (target, xs) -> {
        float[] e = new float[xs.size()];
        for (int i = 0; i < e.length; i++) e[i] = Math.abs(xs.get(i) - target);
        return e;
      };

  @Test
  void stopsAsSoonAsACandidateIsAccepted() {
    Outcome<Integer> out =
        new BestOfN<Integer, Integer>(4, 1).run(42, UNIFORM, DISTANCE, Budget.proposals(10_000, 0));
    assertThat(out.best()).isEqualTo(42);
    assertThat(out.accepted()).isTrue();
    assertThat(out.stop()).isEqualTo(Outcome.StopReason.ACCEPTED);
    assertThat(out.proposals()).isLessThan(10_000).isEqualTo(out.energyEvaluations());
    assertThat(out.trace()).hasSize((int) (out.proposals() + 3) / 4);
    // the trace is the best energy so far: never increases, ends at the accepted energy
    for (int i = 1; i < out.trace().length; i++)
      assertThat(out.trace()[i]).isLessThanOrEqualTo(out.trace()[i - 1]);
    assertThat(out.trace()[out.trace().length - 1]).isZero();
  }

  @Test
  void spendsExactlyTheProposalBudgetWhenNothingIsAccepted() {
    Outcome<Integer> out =
        new BestOfN<Integer, Integer>(8, 2).run(42, UNIFORM, DISTANCE, Budget.proposals(20, -1));
    assertThat(out.accepted()).isFalse();
    assertThat(out.stop()).isEqualTo(Outcome.StopReason.PROPOSALS);
    assertThat(out.proposals()).isEqualTo(20);
    assertThat(out.trace()).hasSize(3); // 8 + 8 + 4
    assertThat(out.energy()).isEqualTo(Math.abs(out.best() - 42));
    assertThat(out.breakdown().total()).isEqualTo(out.energy());
  }

  @Test
  void sameSeedSameOutcome() {
    var a =
        new BestOfN<Integer, Integer>(3, 7).run(13, UNIFORM, DISTANCE, Budget.proposals(30, -1));
    var b =
        new BestOfN<Integer, Integer>(3, 7).run(13, UNIFORM, DISTANCE, Budget.proposals(30, -1));
    assertThat(a.best()).isEqualTo(b.best());
    assertThat(a.trace()).containsExactly(b.trace());
  }

  @Test
  void importanceResamplingFavoursLowEnergyAndMatchesBestOfNWhenCold() {
    int hits = 0;
    for (int seed = 0; seed < 200; seed++) {
      Outcome<Integer> o =
          new ImportanceResampling<Integer, Integer>(50, 2.0, seed)
              .run(42, UNIFORM, DISTANCE, Budget.proposals(50, 0));
      assertThat(o.proposals()).isEqualTo(50);
      assertThat(o.energy()).isEqualTo(Math.abs(o.best() - 42));
      if (o.energy() <= 10) hits++;
    }
    assertThat(hits).isGreaterThan(150); // uniform draws land within 10 of 42 only ~21% of the time
    var cold =
        new ImportanceResampling<Integer, Integer>(30, 1e-4, 3)
            .run(13, UNIFORM, DISTANCE, Budget.proposals(30, -1));
    var best =
        new BestOfN<Integer, Integer>(30, 3).run(13, UNIFORM, DISTANCE, Budget.proposals(30, -1));
    assertThat(cold.energy()).isEqualTo(best.energy());
  }
}
