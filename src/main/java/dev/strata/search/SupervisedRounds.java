package dev.strata.search;

import dev.strata.propose.ArTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The baseline of {@link ExpertIteration} (or of {@link RlooRounds}) at equal compute: the same
 * starting proposer, trained on with plain supervised learning on the generator's solutions, round
 * for round as long as the matched expert-iteration run's rounds took. A round's steps are the CPU
 * seconds the matched run had spent by the end of that round, less what this run has spent, over
 * the CPU seconds per step: first the matched run's fine-tuning cost per step (the same model,
 * batch and sequence length; a K-th of it for a matched RLOO run, whose steps sample and train K
 * answers per problem), then this run's own last round's. Each round continues the previous one on
 * fresh examples, and the proposer is measured on the same held-out problems with the same settings
 * and seeds. Rounds, files, resume and the result JSON are those of {@link ExpertIteration} ({@code
 * problems} 0 marks its rounds).
 */
public final class SupervisedRounds<P, X> {
  private final ExpertIteration.Task<P, X> task;
  private final ArTraining.ExampleSource solutions;
  private final boolean progressBar;

  public SupervisedRounds(
      ExpertIteration.Task<P, X> task, ArTraining.ExampleSource solutions, boolean progressBar) {
    this.task = task;
    this.solutions = solutions;
    this.progressBar = progressBar;
  }

  /** The settings of the expert-iteration run in {@code dir} (read from its round files). */
  public static ExpertIteration.Config matchedConfig(Path dir) {
    return ExpertRoundFiles.readAll(dir).getFirst().config();
  }

  /** The rounds of the expert-iteration run in {@code dir}. */
  public static List<ExpertRound> matchedRounds(Path dir) {
    return ExpertRoundFiles.readAll(dir).stream().map(ExpertRoundFiles.Stored::round).toList();
  }

  /**
   * Runs as many rounds as {@code match} holds, from the proposer at {@code base} into {@code out};
   * with {@code resume}, continues after the last round file there.
   */
  public ExpertIteration.Result run(
      Path base, Path match, Path out, boolean resume, Consumer<String> log) {
    List<ExpertRoundFiles.Stored> matched = ExpertRoundFiles.readAll(match);
    double cpu = 0;
    long steps = 0;
    for (ExpertRoundFiles.Stored s : matched) {
      cpu += s.round().fineTuneCpuSeconds();
      steps += s.round().steps();
    }
    if (steps == 0)
      throw new IllegalArgumentException(
          match + " trained for no step yet, so there is no compute to match");
    double cpuPerStep = cpu / steps;
    // an RLOO step samples and trains B problems × K answers, a supervised step B examples: its
    // first estimate is a K-th of the matched step (later rounds use this run's own cost)
    if (matched.getFirst().config().rl() != null)
      cpuPerStep /= matched.getFirst().config().samples();
    int heldOut = matched.getFirst().round().heldOut().problems();
    if (heldOut != task.heldOut().size())
      throw new IllegalArgumentException(
          match
              + " was measured on "
              + heldOut
              + " held-out problems, this run on "
              + task.heldOut().size()
              + "; pass the same --held-out and --eval-limit");
    // the matched run's settings, less RLOO's when it was an RLOO run: this run trains supervised
    ExpertIteration.Config config =
        matched.getFirst().config().withRounds(matched.size() - 1).withRl(null);
    ProposerRounds<P, X> rounds =
        new ProposerRounds<>("supervised", config, task, base, out, progressBar, log);
    rounds.begin(resume);
    long offset = 0;
    for (ExpertRound done : rounds.rounds()) offset += done.steps() * config.batch();
    for (int r = rounds.next(); r <= config.rounds(); r = rounds.next()) {
      ExpertRound prev = rounds.last();
      // what the matched run had spent by the end of round r, less what this run has: a round
      // that fell short or overran is made up by the next
      double target = matched.get(r).round().cumulativeCpuSeconds() - prev.cumulativeCpuSeconds();
      long n = Math.max(1, Math.round(target / cpuPerStep));
      long w0 = System.nanoTime();
      double c0 = ExpertIteration.cpuSeconds();
      long from = offset;
      String checkpoint =
          rounds.fineTune(r, rounds.currentPath(), i -> solutions.example(from + i), n);
      if (checkpoint == null) return rounds.result(true);
      double spent = ExpertIteration.cpuSeconds() - c0;
      offset += n * config.batch();
      cpuPerStep = spent / n; // this run's own cost per step, fine-tuning overheads included
      PassRates m = rounds.measure(rounds.load(checkpoint));
      rounds.finish(
          new ExpertRound(
              r,
              0,
              0,
              0,
              0,
              0,
              n,
              m,
              spent,
              spent,
              prev.cumulativeCpuSeconds() + spent,
              (System.nanoTime() - w0) / 1e9,
              checkpoint,
              0),
          List.of());
    }
    return rounds.result(false);
  }
}
