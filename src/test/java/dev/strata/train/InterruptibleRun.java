package dev.strata.train;

import java.nio.file.Path;

/**
 * A training run that only stops when signalled, for {@link TrainerInterruptTest}: trains the tiny
 * regression with checkpoints into {@code args[0]} and prints "step N" to stdout as it goes.
 */
public final class InterruptibleRun {
  private InterruptibleRun() {}

  public static void main(String[] args) {
    TinyRegression t = new TinyRegression(1);
    TrainConfig config =
        TrainConfig.of(Long.MAX_VALUE)
            .withProgressBar(false)
            .withCheckpoints(Path.of(args[0]), 0)
            .withMetricsFile(Path.of(args[0]).resolve("metrics.jsonl"));
    Trainer trainer = t.trainer(config);
    trainer.onStep(
        r -> {
          if (r.step() % 10 == 0) {
            System.out.println("step " + r.step());
            System.out.flush();
          }
        });
    trainer.run();
  }
}
