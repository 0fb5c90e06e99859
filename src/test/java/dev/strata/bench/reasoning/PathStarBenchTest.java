package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import dev.strata.propose.ArProposer;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarCodec;
import dev.strata.tasks.pathstar.PathStarGenerator;
import dev.strata.tasks.pathstar.PathStarRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The path-star learned rows say what else they use: best-of-N with and without the graph mask, and
 * the graph-constrained search whose only learned part is the goal check.
 */
class PathStarBenchTest {
  @Test
  void learnedRowsAreNamedForTheGraphConstraintTheyUse() {
    int threads = Ops.threads();
    Ops.setThreads(1);
    try {
      Ops.seed(6);
      PathStarCodec codec = new PathStarCodec(50);
      var lm = new CausalLm(new LmConfig("test", codec.vocab(), 32, "AA", 2, 8, 8, 2, 8, 32));
      var ar = new ArProposer<>(lm, codec, ArProposer.Decoding.greedy(false));
      SplittableRandom rng = new SplittableRandom(3);
      List<PathStar> problems = new ArrayList<>();
      for (int i = 0; i < 5; i++) problems.add(PathStarGenerator.generate(2, 5, 50, rng).problem());
      // the rule energy stands in for the learned one
      var rows =
          new PathStarBench(ar, 1, msg -> {})
              .runLearned("generated", problems, new PathStarRules(), 4);
      assertThat(rows)
          .extracting(PathStarBench.MethodResult::method)
          .containsExactly(
              "AR + graph mask, best-of-4 by learned energy",
              "AR, no mask, best-of-4 by learned energy",
              "graph-constrained search + learned goal check");
      // the search enumerates every arm path the edges allow: an exact goal check makes it exact
      assertThat(rows.get(2).solved()).isEqualTo(problems.size());
      assertThat(rows.get(2).meanEnergyEvaluations()).isEqualTo(2.0); // D = 2 arms
      assertThat(rows.get(0).meanProposals()).isEqualTo(4.0);
      assertThat(rows.get(1).meanProposals()).isEqualTo(4.0);
    } finally {
      Ops.setThreads(threads);
    }
  }
}
