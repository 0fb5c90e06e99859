package dev.strata.bench.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.propose.CausalLm;
import dev.strata.tasks.sequence.Copying;
import dev.strata.tasks.sequence.InductionHeads;
import dev.strata.tasks.sequence.Mqar;
import dev.strata.tasks.sequence.SequenceBatch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harness: logits at the scored positions only, recurrent = parallel evaluation, state sizes,
 * limits, plans.
 */
class SequenceBenchTest {
  @Test
  void logitsAtTheScoredPositionsEqualTheFullHeadThere() {
    Ops.seed(2);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      Mqar task = new Mqar(64, 32, 4);
      CausalLm lm = new CausalLm(new Architecture("MA", 32, 8).lm(task.vocab(), task.maxLength()));
      lm.eval();
      SequenceBatch b = task.batch(3, 9);
      long[] idx = b.scoredIndices();
      Tensor at = lm.logitsAt(b.inputTensor(), Ops.tensor(idx, idx.length)); // (M, V)
      Tensor full =
          lm.logits(b.inputTensor()).reshape(-1, 64).index_select(0, Ops.tensor(idx, idx.length));
      assertThat(Ops.shape(at)).containsExactly(12, 64);
      assertThat(Ops.item(full.sub(at).abs().max())).isLessThan(1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"MM", "SS", "MA"})
  void recurrentChunkedEvaluationPredictsWhatTheFullForwardDoes(String pattern) {
    Ops.seed(5);
    InductionHeads task = new InductionHeads(16, 100);
    CausalLm lm = new CausalLm(new Architecture(pattern, 32, 8).lm(16, 100));
    lm.eval();
    SequenceBatch b = task.batch(4, 1);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      long[] idx = b.scoredIndices();
      long[] parallel =
          Ops.longs(
              Ops.argmax(lm.logitsAt(b.inputTensor(), Ops.tensor(idx, idx.length)), -1)
                  .contiguous());
      long[] bytes = new long[1];
      long[] recurrent =
          SequenceBench.predictRecurrent(lm, b, 16, bytes); // 7 chunks, the last one partial
      assertThat(recurrent).containsExactly(parallel);
      assertThat(bytes[0]).isPositive();
    }
    var p = SequenceBench.evaluate(lm, task, 8, 4, 1, SequenceBench.Mode.PARALLEL, 0);
    var r = SequenceBench.evaluate(lm, task, 8, 4, 1, SequenceBench.Mode.RECURRENT, 16);
    assertThat(r.token()).isEqualTo(p.token());
    assertThat(r.scored()).isEqualTo(8);
  }

  @Test
  void stateSizeIsTheKvCacheForAttentionAndHpnForSsms() {
    Ops.seed(1);
    Architecture aa = new Architecture("AA", 64, 16);
    Architecture mm = new Architecture("MM", 64, 32);
    Architecture hybrid = new Architecture("MMAM", 64, 16);
    CausalLm a = new CausalLm(aa.lm(32, 64));
    CausalLm m = new CausalLm(mm.lm(32, 64));
    CausalLm h = new CausalLm(hybrid.lm(32, 64));
    assertThat(aa.stateFloats(a, 64)).isEqualTo(2 * 2 * 64 * 64); // 2 layers × (K and V) × T × d
    assertThat(mm.stateFloats(m, 64))
        .isEqualTo(2 * 4 * 32 * 32)
        .isEqualTo(2 * m.config.ssmStateSize()); // 2 × H·P·N
    assertThat(hybrid.stateFloats(h, 100)).isEqualTo(3 * h.config.ssmStateSize() + 2 * 100 * 64);
    assertThat(List.of(aa.name(), mm.name(), new Architecture("SS", 32, 8).name(), hybrid.name()))
        .containsExactly("attention", "mamba2", "mamba3", "hybrid");
    assertThat(hybrid.label()).isEqualTo("MMAM d64 N16");
    assertThat(aa.label()).isEqualTo("AA d64");
    assertThatThrownBy(() -> new Architecture("AX", 64, 16))
        .hasMessageContaining("unknown layer 'X'");
  }

  @Test
  void aFewStepsOfTrainingLowerTheLossOnCopying() {
    Copying task = new Copying(4, 1, 4);
    var budget = new SequenceBench.Budget(60, 32, 0, 1e-2, 0.0);
    var t = SequenceBench.train(new Architecture("AA", 32, 8), task, budget, 3, false);
    assertThat(t.training().steps()).isEqualTo(60);
    assertThat(t.training().finalLoss())
        .isLessThan(Math.log(4) - 0.2); // chance: ln 4 nats per letter
    var a = SequenceBench.evaluate(t.model(), task, 64, 32, 3, SequenceBench.Mode.PARALLEL, 0);
    assertThat(a.token()).isBetween(0.0, 1.0).isGreaterThan(0.25);
    assertThat(a.sequences()).isEqualTo(64);
  }

  @Test
  void attentionTestsPastTheMemoryLimitAreReportedNotRun() {
    InductionHeads train = new InductionHeads(8, 32);
    var budget = new SequenceBench.Budget(3, 8, 0, 1e-3, 0.1);
    var tests =
        List.of(
            new Experiment.LengthTest(64, train.withLength(64), 4),
            new Experiment.LengthTest(2048, train.withLength(2048), 4),
            new Experiment.LengthTest(4096, train.withLength(4096), 4));
    var archs = List.of(new Architecture("AA", 32, 8), new Architecture("MM", 32, 8));
    // One 32-channel head: a 2048² float matrix is 16 MiB, past a 10 MiB limit.
    var plan =
        new SequencePlan(
            "induction",
            false,
            List.of(new Experiment("tiny", train, budget, archs, tests)),
            new SequencePlan.Limits(10.0 / 1024, 60, 512),
            1);
    List<ModelRun> runs = new SequenceSuite(plan, msg -> {}, false).run();
    assertThat(runs).hasSize(2);
    ModelRun attention = runs.get(0);
    assertThat(attention.tests().get(0).ran()).isTrue();
    assertThat(attention.tests().get(0).mode()).isEqualTo("parallel");
    assertThat(attention.tests().get(1).status()).startsWith("not run: memory");
    assertThat(attention.tests().get(2).ran()).isFalse();
    assertThat(attention.tests().get(2).stateFloats()).isEqualTo(2L * 2 * 4096 * 32);
    ModelRun ssm = runs.get(1);
    assertThat(ssm.tests()).allMatch(TestPoint::ran).allMatch(p -> p.mode().equals("recurrent"));
    assertThat(ssm.tests()).allMatch(p -> p.accuracy() >= 0 && p.accuracy() <= 1);
    assertThat(ssm.tests().get(2).stateFloats())
        .isEqualTo(ssm.tests().get(0).stateFloats()); // flat in the length
  }

  @Test
  void defaultPlansSweepStateSizeAndStateTheirBudgets() {
    assertThat(SequencePlan.DEFAULT_PATTERNS)
        .containsExactly("AA", "MM", "SS", "TT", "MMAM"); // one per layer kind, and the hybrid
    assertThat(DecodeBench.Plan.PATTERNS).containsExactly("AAAA", "MMMM", "SSSS", "TTTT", "MMAM");
    SequencePlan mqar = SequencePlan.of("mqar", SequencePlan.Options.defaults());
    assertThat(mqar.experiments())
        .extracting(Experiment::setting)
        .containsExactly("T=64 K=4", "T=128 K=8", "T=256 K=16", "T=512 K=64");
    List<Architecture> archs = mqar.experiments().getFirst().archs();
    for (String p : List.of("MM", "SS", "TT", "MMAM")) {
      assertThat(
              archs.stream()
                  .filter(a -> a.pattern().equals(p))
                  .map(Architecture::dState)
                  .distinct()
                  .count())
          .as("state sizes of %s", p)
          .isGreaterThanOrEqualTo(3);
    }
    assertThat(archs.stream().filter(a -> a.pattern().equals("AA")).count())
        .isGreaterThanOrEqualTo(2);
    assertThat(mqar.budgetSummary())
        .contains("10000 steps × batch 32 over 20,000 sequences (16.00 epochs)");
    SequencePlan induction = SequencePlan.of("induction", SequencePlan.Options.defaults());
    assertThat(induction.experiments().getFirst().tests())
        .extracting(Experiment.LengthTest::length)
        .containsExactly(
            64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144);
    assertThat(
            SequencePlan.of("selcopy", SequencePlan.Options.defaults())
                .experiments()
                .getFirst()
                .train()
                .maxLength())
        .isEqualTo(272);
    assertThat(
            SequencePlan.of("copy", SequencePlan.Options.defaults())
                .experiments()
                .getFirst()
                .tests())
        .hasSize(4);
    assertThatThrownBy(() -> SequencePlan.of("parity", SequencePlan.Options.defaults()))
        .hasMessageContaining("unknown task 'parity'");
  }

  @Test
  void decodeTableMeasuresSpeedAndMemoryAndSkipsWhatWouldPassTheCap() {
    var archs = List.of(new Architecture("AA", 32, 8), new Architecture("MM", 32, 8));
    var rows =
        new DecodeBench(new DecodeBench.Plan(archs, List.of(64, 256), 4, 32, 60, 1), msg -> {})
            .run();
    assertThat(rows).hasSize(4).allMatch(r -> r.status().equals("ok"));
    assertThat(rows)
        .allMatch(r -> r.prefillTokensPerS() > 0 && r.decodeTokensPerS() > 0 && r.rssBytes() > 0);
    assertThat(rows.get(1).stateBytes())
        .isGreaterThan(3 * rows.get(0).stateBytes()); // the KV cache grows
    assertThat(rows.get(3).stateBytes())
        .isEqualTo(rows.get(2).stateBytes()); // the SSM state does not
    var capped =
        new DecodeBench(
                new DecodeBench.Plan(archs.subList(0, 1), List.of(32, 4096), 2, 32, 1e-6, 1),
                msg -> {})
            .run();
    assertThat(capped.get(0).status()).isEqualTo("ok");
    assertThat(capped.get(1).status()).startsWith("not run: time");
  }
}
