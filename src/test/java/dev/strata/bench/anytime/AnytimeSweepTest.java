package dev.strata.bench.anytime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.BestOfN;
import dev.strata.search.Budget;
import dev.strata.search.IndependenceMetropolis;
import dev.strata.search.Outcome;
import dev.strata.search.Search;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The anytime curve read off one run at the largest budget equals separate runs at each budget —
 * same answer correctness, same evaluations, same proposals — for best-of-N and independence
 * Metropolis with a deterministic toy proposer (each candidate draws its own random numbers in
 * turn, so the first r of a batch are a batch of r) and energy; and best-of-N accuracy under an
 * exact verifier never falls as the budget grows.
 */
class AnytimeSweepTest {
  /** Guess a number in [0, 40): each guess one draw; a problem is its target. */
  static final Proposer<Integer, Integer> GUESS =
      new Proposer<>() {
        @Override
        public List<Integer> propose(Integer target, int n, RandomSource rng) {
          List<Integer> out = new ArrayList<>();
          for (int i = 0; i < n; i++) out.add(rng.nextInt(40));
          return out;
        }

        @Override
        public List<Integer> complete(Integer target, Integer partial, int n, RandomSource rng) {
          return propose(target, n, rng);
        }
      };

  /** Distance to the target: 0 exactly for the right answer. */
  static final Energy<Integer, Integer> DISTANCE =
      (target, xs) -> {
        float[] e = new float[xs.size()];
        for (int i = 0; i < e.length; i++) e[i] = Math.abs(xs.get(i) - target);
        return e;
      };

  static final long[] BUDGETS = {1, 2, 3, 5, 8, 13, 21, 34, 55};
  static final List<Integer> PROBLEMS = List.of(0, 3, 7, 11, 19, 20, 25, 31, 38, 39);
  static final Duration WALL = Duration.ofMinutes(1);

  @Test
  void bestOfNReadOffOneRunEqualsSeparateRunsAtEveryBudget() {
    for (double accept : new double[] {0, Double.NEGATIVE_INFINITY}) {
      assertEquivalent(seed -> new BestOfN<>(4, seed), accept);
    }
  }

  @Test
  void independenceMetropolisReadOffOneRunEqualsSeparateRunsAtEveryBudget() {
    for (double accept : new double[] {0, Double.NEGATIVE_INFINITY}) {
      assertEquivalent(seed -> new IndependenceMetropolis<>(3, 1.0, seed), accept);
    }
  }

  private static void assertEquivalent(
      LongFunction<Search<Integer, Integer>> search, double accept) {
    var c =
        new Combination<>(
            new Combination.Label("guess", "distance", "s"),
            GUESS,
            DISTANCE,
            accept,
            search,
            Readout.lowest(),
            false);
    int compared = 0;
    for (int i = 0; i < PROBLEMS.size(); i++) {
      int target = PROBLEMS.get(i);
      long seed = 100 + i;
      Trace longest =
          AnytimeSweep.runOnce(c, target, Integer::equals, BUDGETS[BUDGETS.length - 1], WALL, seed);
      List<AnytimePoint> curve =
          AnytimeCurve.replay(List.of(longest), BUDGETS, Readout.lowest(), 0);
      for (int j = 0; j < BUDGETS.length; j++) {
        Outcome<Integer> alone =
            search
                .apply(seed)
                .run(target, GUESS, DISTANCE, new Budget(Long.MAX_VALUE, BUDGETS[j], WALL, accept));
        AnytimePoint p = curve.get(j);
        String at = "target " + target + ", budget " + BUDGETS[j] + ", accept " + accept;
        assertThat(p.solved()).as(at).isEqualTo(alone.best() == target ? 1 : 0);
        assertThat(p.meanEvaluations()).as(at).isEqualTo((double) alone.energyEvaluations());
        assertThat(p.meanProposals()).as(at).isEqualTo((double) alone.proposals());
        compared++;
      }
    }
    assertThat(compared).isEqualTo(PROBLEMS.size() * BUDGETS.length);
  }

  @Test
  void bestOfNAccuracyNeverFallsAsTheBudgetGrows() {
    var c =
        new Combination<>(
            new Combination.Label("guess", "distance", "best-of-n"),
            GUESS,
            DISTANCE,
            0,
            seed -> new BestOfN<Integer, Integer>(4, seed),
            Readout.lowest(),
            false);
    List<Integer> problems = new ArrayList<>();
    for (int t = 0; t < 40; t++) problems.add(t);
    var r = AnytimeSweep.run(c, problems, Integer::equals, BUDGETS, WALL, 7, i -> {});
    assertThat(r.points()).hasSize(BUDGETS.length);
    for (int j = 1; j < BUDGETS.length; j++) {
      assertThat(r.points().get(j).accuracy())
          .as("budget %d", BUDGETS[j])
          .isGreaterThanOrEqualTo(r.points().get(j - 1).accuracy());
      assertThat(r.points().get(j).meanEvaluations())
          .isGreaterThanOrEqualTo(r.points().get(j - 1).meanEvaluations());
    }
    // 55 guesses of 40 values: most targets are hit, one guess hits about 1 in 40
    assertThat(r.points().getLast().accuracy()).isGreaterThan(0.6);
    assertThat(r.points().getFirst().accuracy()).isLessThan(0.2);
    AnytimePoint last = r.points().getLast();
    assertThat(last.wilsonLow()).isLessThan(last.accuracy());
    assertThat(last.wilsonHigh()).isGreaterThan(last.accuracy());
  }

  @Test
  void separateRunsAreRunOncePerBudget() {
    int[] runs = {0};
    var c =
        new Combination<>(
            new Combination.Label("guess", "distance", "counted"),
            GUESS,
            DISTANCE,
            Double.NEGATIVE_INFINITY,
            seed -> {
              runs[0]++;
              return new BestOfN<Integer, Integer>(4, seed);
            },
            Readout.lowest(),
            true);
    var r = AnytimeSweep.run(c, List.of(5, 6), Integer::equals, BUDGETS, WALL, 1, i -> {});
    assertThat(runs[0]).isEqualTo(2 * BUDGETS.length);
    for (int j = 0; j < BUDGETS.length; j++)
      assertThat(r.points().get(j).meanEvaluations()).isEqualTo((double) BUDGETS[j]);
  }

  @Test
  void theCpuOfABudgetIsTheClockAtTheEndOfTheCallHoldingItsLastEvaluation() {
    double[] clock = {0};
    var rec = new EvaluationRecorder<Integer, Integer>(DISTANCE, x -> x == 3, () -> clock[0]);
    var prop = new ProposalRecorder<>(GUESS, rec);
    for (int call = 0; call < 3; call++) {
      List<Integer> xs = prop.propose(3, 4, new RandomSource(call));
      clock[0] += 1.5;
      rec.energies(3, xs);
    }
    clock[0] = 10;
    Trace t = rec.trace(prop);
    assertThat(t.evaluations()).isEqualTo(12);
    assertThat(t.cpuAt(1)).isEqualTo(1.5);
    assertThat(t.cpuAt(4)).isEqualTo(1.5);
    assertThat(t.cpuAt(5)).isEqualTo(3.0);
    assertThat(t.cpuAt(12)).isEqualTo(10); // the whole run
    assertThat(t.proposalsAt(6)).isEqualTo(6); // the second batch clamped to the 2 left
    assertThat(t.evaluationsAt(100)).isEqualTo(12);
  }

  @Test
  void boltzmannReadoutPicksTheLowestAtALowTemperatureAndSpreadsAtAHighOne() {
    float[] e = {3, 1, 2, 1};
    assertThat(Readout.lowest().pick(e, 4, new RandomSource(1))).isEqualTo(1);
    assertThat(Readout.lowest().pick(e, 1, new RandomSource(1))).isZero();
    for (int s = 0; s < 20; s++)
      assertThat(Readout.boltzmann(1e-3).pick(e, 3, new RandomSource(s))).isEqualTo(1);
    boolean[] seen = new boolean[4];
    for (int s = 0; s < 200; s++)
      seen[Readout.boltzmann(100).pick(e, 4, new RandomSource(s))] = true;
    assertThat(seen).containsOnly(true);
  }
}
