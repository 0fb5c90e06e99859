package dev.strata.bench.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Ops;
import dev.strata.propose.ArProposer;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.countdown.CountdownGenerator;
import dev.strata.tasks.countdown.CountdownRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Countdown learned-search rows come with chance references over the same leaves and budget: a
 * random energy, a constant energy and the rule energy (whether any visited leaf hits).
 */
class CountdownBenchTest {
  @Test
  void learnedSearchHasRandomConstantAndCeilingRowsOverTheSameBudget() {
    int threads = Ops.threads();
    Ops.setThreads(1);
    try {
      rows();
    } finally {
      Ops.setThreads(threads);
    }
  }

  private static void rows() {
    Ops.seed(4);
    CountdownCodec codec = new CountdownCodec();
    var lm = new CausalLm(new LmConfig("test", codec.vocab(), 32, "AA", 2, 8, 8, 2, 8, 64));
    var ar = new ArProposer<>(lm, codec, ArProposer.Decoding.greedy(false));
    SplittableRandom rng = new SplittableRandom(2);
    List<Countdown> problems = new ArrayList<>();
    for (int i = 0; i < 6; i++) problems.add(CountdownGenerator.generate(rng, 10, 100).problem());
    var bench = new CountdownBench(ar, 0, 2, 1, msg -> {});
    // the rule energy stands in for the learned one: it must then match the ceiling row
    var rows = bench.runLearned(problems, new CountdownRules(), 0, 256);
    assertThat(rows)
        .extracting(CountdownBench.MethodResult::method)
        .containsExactly(
            "AR + learned energy + search",
            "same search + random energy (a random leaf)",
            "same search + constant energy (the first leaf)",
            "same search + rule energy (a hit among its leaves)");
    var learned = rows.get(0);
    var random = rows.get(1);
    var constant = rows.get(2);
    var ceiling = rows.get(3);
    assertThat(ceiling.solved()).isPositive();
    assertThat(learned.solved()).isEqualTo(ceiling.solved());
    assertThat(random.solved()).isLessThanOrEqualTo(ceiling.solved());
    assertThat(constant.solved()).isLessThanOrEqualTo(ceiling.solved());
    // no early acceptance: the references spend the whole budget on every problem
    assertThat(random.meanEnergyEvaluations()).isEqualTo(256.0);
    assertThat(constant.meanEnergyEvaluations()).isEqualTo(256.0);
  }

  @Test
  void theRandomEnergyIsReproducibleAndVaries() {
    Countdown p = Countdown.parse("58,11,80,83,81");
    List<String> leaves = List.of("a", "b", "c", "d");
    float[] a = CountdownBench.randomEnergy(9).energies(p, leaves);
    float[] b = CountdownBench.randomEnergy(9).energies(p, leaves);
    assertThat(a).containsExactly(b);
    assertThat(a[0]).isNotEqualTo(a[1]);
  }
}
