package dev.strata.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a training session ended.
 *
 * @param step optimizer steps completed in total (over all sessions)
 * @param reason why it stopped
 * @param loss the last training loss (NaN if no step ran)
 * @param eval the last evaluation metrics (empty if none ran)
 * @param checkpoint the last checkpoint written (null if none)
 * @param seconds wall time of this session
 * @param metrics the JSONL metrics file with the run's series, all sessions (null if none)
 */
public record TrainResult(
    long step,
    StopReason reason,
    double loss,
    Map<String, Double> eval,
    Path checkpoint,
    double seconds,
    Path metrics) {

  /** The points of one metric over the whole run, from the metrics file (empty if none). */
  public List<MetricsLog.Point> series(String key) {
    return metrics == null ? List.of() : MetricsLog.series(metrics, key);
  }

  public enum StopReason {
    /** Reached {@code TrainConfig.maxSteps}. */
    MAX_STEPS,
    /** Spent {@code TrainConfig.timeBudgetSeconds}. */
    TIME_BUDGET,
    /**
     * Ctrl-C / SIGTERM or {@link Trainer#requestStop()}: the step in flight finished and a
     * checkpoint was written.
     */
    INTERRUPTED
  }
}
