package dev.strata.train;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

/**
 * Training progress on stderr: a progress bar (steps, steps/s, ETA, and loss, lr, tokens/s) when
 * stderr is a terminal, otherwise an optional plain status line every N steps, so logs of
 * non-interactive runs stay readable.
 */
final class TrainProgress implements AutoCloseable {
  private static final PrintStream ERR = System.err;

  private final ProgressBar bar; // null when no bar is shown
  private final long maxSteps;
  private final long printEvery;
  private final long sessionStartNanos = System.nanoTime();
  private double tokensPerSecond; // smoothed

  TrainProgress(
      boolean wanted, long startStep, long maxSteps, double budgetSeconds, long printEvery) {
    this.maxSteps = maxSteps;
    this.printEvery = printEvery;
    this.bar = wanted && isTerminal() ? bar(startStep, maxSteps, budgetSeconds) : null;
  }

  static boolean isTerminal() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  private ProgressBar bar(long startStep, long maxSteps, double budgetSeconds) {
    return new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(maxSteps)
        .startsFrom(startStep, Duration.ZERO)
        .setUnit(" steps", 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(ERR))
        .setEtaFunction(state -> eta(state, budgetSeconds))
        .build();
  }

  /** Linear ETA over this session's rate, capped by what is left of the time budget. */
  private Optional<Duration> eta(ProgressState s, double budgetSeconds) {
    long done = s.getCurrent() - s.getStart();
    if (done <= 0) return Optional.empty();
    double elapsed = s.getElapsedAfterStart().toNanos() / 1e9;
    double seconds = elapsed / done * (s.getMax() - s.getCurrent());
    if (budgetSeconds > 0) seconds = Math.min(seconds, Math.max(0, budgetSeconds - elapsed));
    return Optional.of(Duration.ofMillis((long) (seconds * 1000)));
  }

  void update(StepResult r) {
    tokensPerSecond =
        tokensPerSecond == 0
            ? r.tokensPerSecond()
            : 0.9 * tokensPerSecond + 0.1 * r.tokensPerSecond();
    String status =
        String.format(
            "loss %.4f  lr %.1e%s",
            r.loss(),
            r.lr(),
            tokensPerSecond > 0 ? String.format("  %.1fk tok/s", tokensPerSecond / 1000) : "");
    if (bar != null) {
      bar.stepTo(r.step());
      bar.setExtraMessage(" " + status);
    } else if (printEvery > 0 && r.step() % printEvery == 0) {
      double elapsed = (System.nanoTime() - sessionStartNanos) / 1e9;
      ERR.printf(
          "step %d/%d  %s  |g| %.3g  %.0f s%n", r.step(), maxSteps, status, r.gradNorm(), elapsed);
    }
  }

  /** A one-off status line (evaluation results), shown when progress is shown at all. */
  void message(String line) {
    if (bar != null || printEvery > 0) notice(line);
  }

  /** A line that is always shown (why training stopped), printed without garbling the bar. */
  void notice(String line) {
    if (bar != null) {
      bar.pause();
      ERR.println();
    }
    ERR.println(line);
    if (bar != null) bar.resume();
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
