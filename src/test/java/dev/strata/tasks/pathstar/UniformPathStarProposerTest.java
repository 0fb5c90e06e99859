package dev.strata.tasks.pathstar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.propose.RandomSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The uniform path-star proposer walks the edges from the start and picks each arm about equally
 * often (so it is right about 1/D of the time), and keeps a partial path that follows the edges.
 */
class UniformPathStarProposerTest {
  // start 5, arms 5-2-8 and 5-9-3, goal 8
  static final PathStar PROBLEM = PathStar.parse("2,8|5,2|5,9|9,3/5,8=5,2,8").problem();

  @Test
  void walksTheEdgesAndPicksEachArmAboutEquallyOften() {
    var p = new UniformPathStarProposer();
    List<int[]> paths = p.propose(PROBLEM, 1000, new RandomSource(1));
    int right = 0;
    for (int[] path : paths) {
      assertThat(path).hasSize(3);
      assertThat(path[0]).isEqualTo(5);
      assertThat(PROBLEM.hasEdge(path[0], path[1])).isTrue();
      assertThat(PROBLEM.hasEdge(path[1], path[2])).isTrue();
      if (PathStarRules.solves(PROBLEM, path)) right++;
    }
    assertThat(right).isBetween(400, 600);
  }

  @Test
  void completeKeepsAPartialPathThatFollowsTheEdges() {
    var p = new UniformPathStarProposer();
    for (int[] path : p.complete(PROBLEM, new int[] {5, 9, -1}, 20, new RandomSource(2)))
      assertThat(path).containsExactly(5, 9, 3);
    // 8 is no child of 5: the walk starts afresh from there
    for (int[] path : p.complete(PROBLEM, new int[] {5, 8, -1}, 20, new RandomSource(2)))
      assertThat(PROBLEM.hasEdge(path[0], path[1])).isTrue();
  }
}
