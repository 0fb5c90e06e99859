package dev.strata.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.energy.Energy;
import dev.strata.search.Budget;
import dev.strata.search.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatentPlannerTest {
  private static final PlanProblem PROBLEM = new PlanProblem(null, null, 5, 10);

  /** A quadratic bowl around a fixed plan: CEM should find its centre. */
  private static final class Bowl implements Energy<PlanProblem, float[]> {
    final float[] centre = new float[50];
    int calls;

    Bowl() {
      for (int i = 0; i < centre.length; i++) centre[i] = (float) Math.sin(i) * 1.5f;
    }

    @Override
    public float[] energies(PlanProblem p, List<float[]> candidates) {
      calls++;
      float[] e = new float[candidates.size()];
      for (int c = 0; c < e.length; c++) {
        double s = 0;
        for (int i = 0; i < centre.length; i++) s += Math.pow(candidates.get(c)[i] - centre[i], 2);
        e[c] = (float) s;
      }
      return e;
    }
  }

  @Test
  void cemFindsTheMinimumWithOneBatchedCallPerIteration() {
    Bowl bowl = new Bowl();
    LatentPlanner cem = LatentPlanner.paper(1);
    Outcome<float[]> o = cem.run(PROBLEM, new GaussianPlanProposer(), bowl, cem.fullBudget());
    assertThat(bowl.calls)
        .as("one batched call per iteration, one to explain the best")
        .isEqualTo(31);
    assertThat(o.proposals()).isEqualTo(9000);
    assertThat(o.energy()).isLessThan(0.05f);
    assertThat(o.trace()).hasSize(30);
    assertThat(o.trace()[29]).isLessThan(o.trace()[0] / 100);
    for (int i = 0; i < 50; i++) assertThat(o.best()[i]).isCloseTo(bowl.centre[i], within(0.15f));
  }

  @Test
  void mppiAndIcemPlanTheSameProblemsThroughTheSameInterface() {
    for (LatentPlanner.Method m : List.of(LatentPlanner.Method.MPPI, LatentPlanner.Method.ICEM)) {
      Bowl bowl = new Bowl();
      LatentPlanner planner = new LatentPlanner(m, 300, 30, 30, 1);
      Outcome<float[]> o =
          planner.run(PROBLEM, new GaussianPlanProposer(), bowl, planner.fullBudget());
      assertThat(o.proposals()).as("%s", m).isEqualTo(planner.fullBudget().proposals());
      assertThat(o.trace()).as("%s", m).hasSize(30);
      // convergence is SamplingPlannersTest's; this bowl's centre changes sign every coordinate,
      // which MPPI's fixed σ and iCEM's low-frequency (β = 2) noise only approach
      assertThat(o.energy()).as("%s", m).isLessThan(o.trace()[0] * 0.6f);
      assertThat(planner.describe()).startsWith(m == LatentPlanner.Method.MPPI ? "MPPI" : "iCEM");
    }
  }

  @Test
  void deterministicForASeedAndStopsWhenAccepted() {
    LatentPlanner cem = new LatentPlanner(LatentPlanner.Method.CEM, 100, 10, 10, 3);
    Outcome<float[]> a = cem.run(PROBLEM, new GaussianPlanProposer(), new Bowl(), cem.fullBudget());
    Outcome<float[]> b = cem.run(PROBLEM, new GaussianPlanProposer(), new Bowl(), cem.fullBudget());
    assertThat(a.best()).containsExactly(b.best());
    Bowl bowl = new Bowl();
    Outcome<float[]> early =
        cem.run(PROBLEM, new GaussianPlanProposer(), bowl, Budget.proposals(1000, 30.0));
    assertThat(early.accepted()).isTrue();
    assertThat(early.stop()).isEqualTo(Outcome.StopReason.ACCEPTED);
    assertThat(bowl.calls).isLessThan(10);
  }

  @Test
  void plansBecomeClippedActionsInStepOrder() {
    float[] plan = new float[10];
    for (int i = 0; i < 10; i++) plan[i] = i;
    float[] mean = new float[10];
    float[] std = new float[10];
    java.util.Arrays.fill(std, 0.1f);
    double[][] a = WorldEval.actions(plan, mean, std, 10, 5);
    assertThat(a).hasNumberOfRows(5);
    assertThat(a[0][0]).isCloseTo(0.0, within(1e-6));
    assertThat(a[0][1]).isCloseTo(0.1, within(1e-6));
    assertThat(a[1][0]).isCloseTo(0.2, within(1e-6));
    assertThat(a[4][1]).isEqualTo(0.9, within(1e-6));
    std[9] = 1f;
    assertThat(WorldEval.actions(plan, mean, std, 10, 5)[4][1]).isEqualTo(1.0); // clipped
  }

  @Test
  void wilsonInterval() {
    double[] ci = WorldEval.wilson(43, 50);
    assertThat(ci[0]).isCloseTo(0.738, within(0.002));
    assertThat(ci[1]).isCloseTo(0.930, within(0.002));
  }

  @Test
  void tasksComeFromHeldOutEpisodesOnly() {
    Trajectories data = Trajectories.collect(TwoRoomConfig.DEFAULT, 60, 10, 4);
    List<WorldEval.Task> tasks = WorldEval.tasks(data, 50, 42, 25);
    assertThat(tasks).hasSize(50).allMatch(t -> data.isHeldOut(t.episode()));
    assertThat(tasks).allMatch(t -> t.goalX() == data.stateX(t.episode(), t.t() + 25));
    assertThat(WorldEval.tasks(data, 50, 42, 25)).isEqualTo(tasks);
  }
}
