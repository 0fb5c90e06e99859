package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bench.OpProfile.OpStat;
import dev.strata.nn.Linear;
import dev.strata.nn.Ops;
import dev.strata.nn.Profiler;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** libtorch's profiler sees our forward and backward GEMMs, and the table reports them. */
class OpProfileTest {
  private static final int STEPS = 3;

  @Test
  void profilesForwardAndBackwardOpsOfALinearStack() {
    Ops.seed(0);
    List<Linear> layers = List.of(new Linear(64, 128), new Linear(128, 128), new Linear(128, 8));
    Runnable step =
        () -> {
          Tensor h = Ops.randn(32, 64); // (B, in)
          for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (i < layers.size() - 1) h = Ops.relu(h);
          }
          h.sum().backward();
        };
    try (Scope s = Ops.scope()) {
      step.run(); // warm-up outside the profiler
    }

    List<OpStat> stats = OpProfile.profile(step, STEPS);
    Map<String, OpStat> byName =
        stats.stream().collect(Collectors.toMap(OpStat::name, Function.identity()));

    OpStat addmm = byName.get("aten::addmm"); // forward: 3 layers per step
    OpStat mm = byName.get("aten::mm"); // backward: weight and input gradients
    assertThat(addmm).isNotNull();
    assertThat(mm).as("backward GEMMs from the autograd engine").isNotNull();
    assertThat(addmm.calls()).isEqualTo(3L * STEPS);
    assertThat(mm.calls()).isGreaterThanOrEqualTo(STEPS);
    assertThat(addmm.selfMillis()).isPositive();
    assertThat(mm.selfMillis()).isPositive();
    for (OpStat s : stats) {
      assertThat(s.selfMillis()).as(s.name()).isLessThanOrEqualTo(s.totalMillis() + 1e-9);
      assertThat(s.selfMillis()).as(s.name()).isGreaterThanOrEqualTo(0);
    }
    // aten::linear only dispatches to addmm, so addmm owns the time: self excludes children.
    OpStat linear = byName.get("aten::linear");
    assertThat(linear.totalMillis()).isGreaterThanOrEqualTo(addmm.totalMillis());
    assertThat(linear.selfMillis()).isLessThan(linear.totalMillis());
    assertThat(stats).isSortedAccordingTo((a, b) -> Double.compare(b.selfMillis(), a.selfMillis()));

    String table = OpProfile.table(stats, stats.size());
    System.out.print(table);
    assertThat(table).contains("aten::addmm", "aten::mm", "self %");
    assertThat(OpProfile.table(stats, 2).lines().count()).isEqualTo(4); // header, 2 rows, footer
  }

  @Test
  void selfTimeSubtractsDirectChildrenPerThread() {
    List<Profiler.Event> events =
        List.of(
            new Profiler.Event("outer", 1, 0, 100),
            new Profiler.Event("inner", 1, 10, 40),
            new Profiler.Event("leaf", 1, 15, 25),
            new Profiler.Event("inner", 1, 50, 70),
            new Profiler.Event("outer", 2, 20, 30)); // another thread: no parent
    Map<String, OpStat> byName =
        OpProfile.aggregate(events).stream()
            .collect(Collectors.toMap(OpStat::name, Function.identity()));
    assertThat(byName.get("outer"))
        .isEqualTo(new OpStat("outer", 2, (100 - 30 - 20 + 10) / 1e6, 110 / 1e6));
    assertThat(byName.get("inner"))
        .isEqualTo(new OpStat("inner", 2, (30 - 10 + 20) / 1e6, 50 / 1e6));
    assertThat(byName.get("leaf")).isEqualTo(new OpStat("leaf", 1, 10 / 1e6, 10 / 1e6));
  }

  @Test
  void theProfilerIsOffAfterAFailingStep() {
    assertThatThrownBy(
            () ->
                OpProfile.profile(
                    () -> {
                      throw new IllegalStateException("boom");
                    },
                    1))
        .hasMessage("boom");
    assertThat(OpProfile.profile(() -> Ops.randn(4, 4).matmul(Ops.randn(4, 4)), 1))
        .extracting(OpStat::name)
        .contains("aten::mm");
  }

  @Test
  void profilingInsideAProfiledStepIsRefused() {
    assertThatThrownBy(() -> OpProfile.profile(() -> OpProfile.profile(() -> {}, 1), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already on");
  }
}
