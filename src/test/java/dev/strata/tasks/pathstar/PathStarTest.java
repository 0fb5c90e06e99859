package dev.strata.tasks.pathstar;

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

class PathStarTest {
  static final String LINE = "2,8|5,2|5,9|9,3/5,8=5,2,8";

  /** A proposer with no opinion: the search alone decides. */
  static final Proposer<PathStar, int[]> NONE =
      new Proposer<>() {
        public List<int[]> propose(PathStar p, int n, RandomSource r) {
          return List.of();
        }

        public List<int[]> complete(PathStar p, int[] partial, int n, RandomSource r) {
          return List.of();
        }
      };

  @Test
  void parsesThePublishedFormatAndPrintsItBack() {
    PathStar.Example e = PathStar.parse(LINE);
    assertThat(e.problem().degree()).isEqualTo(2);
    assertThat(e.problem().pathLength()).isEqualTo(3);
    assertThat(e.path()).containsExactly(5, 2, 8);
    assertThat(e.problem().format(e.path())).isEqualTo(LINE);
    assertThat(e.problem().children(5)).containsExactly(2, 9);
    assertThatThrownBy(() -> PathStar.parse("1,2|2,3")).hasMessageContaining("looks like");
    assertThatThrownBy(() -> PathStar.parse("1,x/1,2")).hasMessageContaining("bad number");
  }

  @Test
  void generatorMatchesThePublishedShape() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int[] s : new int[][] {{2, 5}, {5, 3}, {3, 3}}) {
      PathStar.Example e = PathStarGenerator.generate(s[0], s[1], 50, rng);
      PathStar.Example back = PathStar.parse(e.problem().format(e.path()));
      assertThat(back.problem()).isEqualTo(e.problem());
      assertThat(back.problem().degree()).isEqualTo(s[0]);
      assertThat(back.problem().pathLength()).isEqualTo(s[1]);
      assertThat(e.problem().edges().length).isEqualTo(s[0] * (s[1] - 1));
      assertThat(PathStarRules.solves(e.problem(), e.path())).isTrue();
    }
    assertThatThrownBy(() -> PathStarGenerator.generate(5, 20, 50, rng))
        .hasMessageContaining("needs 96 distinct ids");
  }

  @Test
  void ruleEnergyIsZeroOnlyOnTheStartToGoalPath() {
    PathStar p = PathStar.parse(LINE).problem();
    PathStarRules rules = new PathStarRules();
    assertThat(rules.energy(p, new int[] {5, 2, 8})).isZero();
    assertThat(rules.energy(p, new int[] {5, 9, 3})).isEqualTo(1); // the other arm: wrong goal
    assertThat(rules.explain(p, new int[] {2, 9, 8}).terms())
        .containsEntry(PathStarRules.EDGES, 2f)
        .containsEntry(PathStarRules.START, 1f)
        .containsEntry(PathStarRules.GOAL, 0f);
  }

  @Test
  void searchOverTheFirstStepIsExactOnPublishedLines() {
    var dfs = new GuidedDepthFirst<>(new PathStarConstraints(), 1);
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 50; i++) {
      PathStar.Example e = PathStarGenerator.generate(5, 3, 50, rng);
      Outcome<int[]> o =
          dfs.run(
              e.problem(),
              NONE,
              new PathStarRules(),
              new Budget(10, 100, Duration.ofSeconds(5), 0));
      assertThat(o.accepted()).isTrue();
      assertThat(o.best()).containsExactly(e.path());
      assertThat(o.energyEvaluations()).isBetween(1L, 5L); // at most one leaf per arm
    }
  }

  @Test
  void codecMasksAllowOnlyGraphMoves() {
    PathStar p = PathStar.parse(LINE).problem();
    PathStarCodec codec = new PathStarCodec(10);
    assertThat(codec.prompt(p)).containsExactly(2, 8, 5, 2, 5, 9, 9, 3, 10, 5, 8, 11);
    boolean[] first = codec.allowed(p, new long[3], 0);
    assertThat(first[5]).isTrue();
    boolean[] second = codec.allowed(p, new long[] {5, 0, 0}, 1);
    assertThat(second[2] && second[9]).isTrue();
    assertThat(second[3]).isFalse();
    assertThat(codec.decode(p, codec.answer(p, new int[] {5, 2, 8}))).containsExactly(5, 2, 8);
  }
}
