package dev.strata.tasks.countdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.Budget;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountdownTest {
  static final Proposer<Countdown, String> NONE =
      new Proposer<>() {
        public List<String> propose(Countdown p, int n, RandomSource r) {
          return List.of();
        }

        public List<String> complete(Countdown p, String partial, int n, RandomSource r) {
          return List.of();
        }
      };

  @Test
  void verifiesTheReferenceSolutionsOfTheCd4Format() {
    String[][] rows = {
      {"58,11,80,83,81", "80-58=22,22/11=2,83-2=81"},
      {"36,56,44,27,81", "36*27=972,56-44=12,972/12=81"},
      {"34,61,58,36,14", "34*61=2074,58*36=2088,2088-2074=14"}
    };
    CountdownRules rules = new CountdownRules();
    for (String[] r : rows) {
      Countdown p = Countdown.parse(r[0]);
      assertThat(p.numbers()).hasSize(4);
      assertThat(rules.energy(p, r[1])).isZero();
    }
    Countdown p = Countdown.parse(rows[0][0]);
    assertThat(CountdownRules.terms(p, "80-58=22,22/11=3,83-3=80"))
        .containsExactly(0f, 1f, 0f, 0f, 0.5f);
    assertThat(CountdownRules.terms(p, "80-58=22,22/11=2"))
        .containsExactly(0f, 0f, 0f, 1f, 79f / 80f);
    assertThat(CountdownRules.terms(p, "80-80=0,x")[0]).isEqualTo(1f);
    assertThat(CountdownRules.terms(p, "80+80=160,160-83=77,77+4=81")[2])
        .isEqualTo(2f); // 80 reused, 4 invented
    assertThat(rules.energy(p, "")).isPositive();
    assertThatThrownBy(() -> Countdown.parse("1,2")).hasMessageContaining("numbers then target");
    assertThatThrownBy(() -> Countdown.parse("1,2,x,4,5"))
        .hasMessageContaining("'x' is not a whole number");
  }

  @Test
  void generatorBuildsSolvableProblemsAndTheSearchSolvesThemExactly() {
    SplittableRandom rng = new SplittableRandom(3);
    var dfs = new GuidedDepthFirst<>(new CountdownConstraints(), 1);
    for (int i = 0; i < 100; i++) {
      CountdownGenerator.Generated g = CountdownGenerator.generate(rng, 10, 99);
      assertThat(CountdownRules.solves(g.problem(), g.solution())).as(g.toString()).isTrue();
      Outcome<String> o =
          dfs.run(
              g.problem(),
              NONE,
              new CountdownRules(),
              new Budget(1, 100_000, Duration.ofSeconds(10), 0));
      assertThat(o.accepted()).as(g.problem().toString()).isTrue();
      assertThat(CountdownRules.solves(g.problem(), o.best())).isTrue();
    }
    // unreachable target: the search proves it and stops
    Outcome<String> none =
        dfs.run(
            Countdown.parse("1,1,1,1,97"),
            NONE,
            new CountdownRules(),
            new Budget(1, 100_000, Duration.ofSeconds(10), 0));
    assertThat(none.accepted()).isFalse();
    assertThat(none.stop()).isEqualTo(Outcome.StopReason.EXHAUSTED);
  }

  @Test
  void searchFollowsAPerfectHintFirst() {
    Countdown p = Countdown.parse("58,11,80,83,81");
    String solution = "80-58=22,22/11=2,83-2=81";
    Proposer<Countdown, String> oracle =
        new Proposer<>() {
          public List<String> propose(Countdown q, int n, RandomSource r) {
            return java.util.Collections.nCopies(n, solution);
          }

          public List<String> complete(Countdown q, String partial, int n, RandomSource r) {
            return propose(q, n, r);
          }
        };
    Outcome<String> o =
        new GuidedDepthFirst<>(new CountdownConstraints(), 1)
            .run(p, oracle, new CountdownRules(), new Budget(10, 100, Duration.ofSeconds(10), 0));
    assertThat(o.best()).isEqualTo(solution);
    assertThat(o.proposals()).isEqualTo(1);
    assertThat(o.energyEvaluations()).isEqualTo(1);
  }

  @Test
  void codecRoundTrips() {
    CountdownCodec codec = new CountdownCodec();
    Countdown p = Countdown.parse("58,11,80,83,81");
    assertThat(codec.prompt(p)).hasSize(16);
    String a = "80-58=22,22/11=2,83-2=81";
    assertThat(codec.decode(p, codec.answer(p, a))).isEqualTo(a);
    assertThat(codec.fixed(p, "80-", 2)).isEqualTo(11);
    assertThat(codec.fixed(p, "80-", 3)).isEqualTo(-1);
  }
}
