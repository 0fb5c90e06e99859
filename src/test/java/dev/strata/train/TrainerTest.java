package dev.strata.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: exact resume, stopping rules, divergence, metrics, and flat memory. */
class TrainerTest {
  @TempDir Path dir;

  private static TrainConfig quiet(long maxSteps) {
    return TrainConfig.of(maxSteps)
        .withProgressBar(false)
        .withHandleInterrupt(false)
        .withGradClip(1.0)
        .withEmaDecay(0.9);
  }

  @Test
  void resumeAfterInterruptMatchesAnUninterruptedRun() {
    final long n = 20;
    TinyRegression straight = new TinyRegression(1);
    TrainResult full = straight.trainer(quiet(n)).run();
    assertThat(full.reason()).isEqualTo(TrainResult.StopReason.MAX_STEPS);
    assertThat(full.step()).isEqualTo(n);

    // Same start, interrupted after step n/2 the way Ctrl-C does it; the checkpoint is written
    // then.
    TinyRegression first = new TinyRegression(1);
    Path ckpt = dir.resolve("ckpt");
    TrainConfig config =
        quiet(n)
            .withCheckpoints(ckpt, 0)
            .withEvalEvery(3)
            .withMetricsFile(dir.resolve("metrics.jsonl"))
            .withHandleInterrupt(true);
    Trainer t1 = first.trainer(config);
    t1.onEval(step -> Map.of("val", first.evalLoss())); // consumes RNG: must not perturb training
    t1.onStep(
        r -> {
          if (r.step() == n / 2) t1.requestStop();
        });
    TrainResult half = t1.run();
    assertThat(half.reason()).isEqualTo(TrainResult.StopReason.INTERRUPTED);
    assertThat(half.step()).isEqualTo(n / 2);
    assertThat(half.checkpoint()).isEqualTo(ckpt.resolve("step-00000010"));

    // Fresh objects, different seed: everything must come from the checkpoint.
    TinyRegression second = new TinyRegression(77);
    Trainer t2 = second.trainer(config);
    t2.onEval(step -> Map.of("val", second.evalLoss()));
    TrainResult rest = t2.resume(ckpt);
    assertThat(rest.step()).isEqualTo(n);
    assertThat(second.cursor.position).isEqualTo(straight.cursor.position);

    List<float[]> expected = straight.parameters();
    List<float[]> actual = second.parameters();
    for (int i = 0; i < expected.size(); i++)
      assertThat(actual.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
    assertThat(rest.loss()).isEqualTo(full.loss());

    // The metrics log reads as one run: train records 1..n, each once, and evaluations at 3, 6, …,
    // 18 and n.
    List<Long> trainSteps =
        MetricsLog.read(dir.resolve("metrics.jsonl")).stream()
            .filter(r -> "train".equals(r.get("kind")))
            .map(r -> (Long) r.get("step"))
            .toList();
    assertThat(trainSteps)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
    assertThat(MetricsLog.series(dir.resolve("metrics.jsonl"), "val"))
        .extracting(MetricsLog.Point::step)
        .containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 20L);
  }

  @Test
  void emaOfParametersIsCheckpointedAndRestored() {
    TinyRegression a = new TinyRegression(1);
    Path ckpt = dir.resolve("ema");
    Trainer t = a.trainer(quiet(6).withCheckpoints(ckpt, 0));
    t.run();
    TinyRegression b = new TinyRegression(2);
    Trainer u = b.trainer(quiet(6));
    u.restore(ckpt);
    t.ema()
        .shadow()
        .forEach(
            (name, s) ->
                assertThat(Ops.floats(u.ema().shadow().get(name)))
                    .as(name)
                    .containsExactly(Ops.floats(s)));
    // The average lags the trained weights.
    assertThat(Ops.floats(t.ema().shadow().get("fc1.weight")))
        .isNotEqualTo(Ops.floats(a.model.fc1.weight));
  }

  @Test
  void nanLossStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint() {
    TinyRegression t = new TinyRegression(1);
    Path ckpt = dir.resolve("nan");
    List<float[]> before = new ArrayList<>();
    Trainer trainer =
        new Trainer(
            t.model,
            t.optimizer,
            LrSchedule.constant(1e-2),
            quiet(20).withCheckpoints(ckpt, 3),
            step -> step == 5 ? Ops.mul(t.loss(step), Double.NaN) : t.loss(step));
    trainer.onStep(
        r -> {
          if (r.step() == 5) before.addAll(t.parameters());
        });
    assertThatThrownBy(trainer::run)
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageStartingWith(
            "loss is NaN at step 5 (lr 0.0100); training stopped before updating the parameters")
        .hasMessageContaining("the last good checkpoint is " + ckpt.resolve("step-00000003"));
    for (int i = 0; i < before.size(); i++)
      assertThat(t.parameters().get(i)).containsExactly(before.get(i));
    assertThat(Checkpoint.readState(ckpt).step()).isEqualTo(3);
  }

  @Test
  void timeBudgetStopsAndCheckpoints() {
    TinyRegression t = new TinyRegression(1);
    Path ckpt = dir.resolve("budget");
    TrainResult r =
        t.trainer(quiet(1_000_000).withTimeBudgetSeconds(0.3).withCheckpoints(ckpt, 0)).run();
    assertThat(r.reason()).isEqualTo(TrainResult.StopReason.TIME_BUDGET);
    assertThat(r.step()).isBetween(1L, 999_999L);
    assertThat(Checkpoint.readState(ckpt).step()).isEqualTo(r.step());
  }

  @Test
  void metricsLogRecordsEveryStepAndReadsBack() {
    TinyRegression t = new TinyRegression(1);
    Path log = dir.resolve("m.jsonl");
    Trainer trainer = t.trainer(quiet(4).withMetricsFile(log).withTokensPerStep(8));
    trainer.run();
    List<Map<String, Object>> records = MetricsLog.read(log);
    assertThat(records).hasSize(4);
    assertThat(records.getFirst())
        .containsKeys(
            "step", "kind", "loss", "lr", "grad_norm", "step_s", "tokens_per_s", "wall_s");
    LrSchedule schedule = TinyRegression.schedule(4);
    assertThat(MetricsLog.series(log, "lr"))
        .extracting(MetricsLog.Point::value)
        .containsExactly(schedule.lr(0), schedule.lr(1), schedule.lr(2), schedule.lr(3));
  }

  /** VmRSS of this process in kB: what the OS sees, libtorch's allocations included. */
  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void rssStaysFlatOverAThousandSteps() {
    TinyRegression t = new TinyRegression(1);
    long[] rss = new long[2];
    Trainer trainer = t.trainer(quiet(1000).withMetricsFile(dir.resolve("rss.jsonl")));
    trainer.onStep(
        r -> {
          try {
            if (r.step() == 100) rss[0] = rssKb();
            if (r.step() == 1000) rss[1] = rssKb();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
    trainer.run();
    long growthKb = rss[1] - rss[0];
    System.out.printf(
        "RSS at step 100: %d kB, at step 1000: %d kB, growth %d kB%n", rss[0], rss[1], growthKb);
    assertThat(growthKb).as("RSS growth over 900 steps (kB)").isLessThan(20_000);
  }

  @Test
  void lossFunctionSeesZeroBasedStepsAndScheduleIsFollowed() {
    TinyRegression t = new TinyRegression(1);
    List<Long> seen = new ArrayList<>();
    List<Double> lrs = new ArrayList<>();
    Trainer trainer =
        new Trainer(
            t.model,
            t.optimizer,
            step -> 0.001 * (step + 1),
            quiet(3),
            step -> {
              seen.add(step);
              return t.loss(step);
            });
    trainer.onStep(r -> lrs.add(r.lr()));
    trainer.run();
    assertThat(seen).containsExactly(0L, 1L, 2L);
    assertThat(lrs).containsExactly(0.001, 0.002, 0.003);
  }
}
