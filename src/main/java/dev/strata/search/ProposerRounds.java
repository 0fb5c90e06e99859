package dev.strata.search;

import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.train.Recipe;
import dev.strata.train.ResultJson;
import dev.strata.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The round bookkeeping the proposer-improvement loops share ({@link ExpertIteration}, {@link
 * SupervisedRounds}, {@link RlooRounds}): the starting proposer checked against the task, the
 * completed rounds read back on resume (or a used directory refused), round 0 measured, each
 * round's fine-tuning into {@code out/round-NNN} through {@link ArTraining#fineTune}, the held-out
 * measurement, the round file, the result JSON and the progress line.
 */
final class ProposerRounds<P, X> {
  private final String method;
  private final ExpertIteration.Config config;
  private final ExpertIteration.Task<P, X> task;
  private final Path base;
  private final Path out;
  private final boolean progressBar;
  private final Consumer<String> log;
  private final ArTraining.Loaded start;
  private final List<ExpertRound> rounds = new ArrayList<>();

  ProposerRounds(
      String method,
      ExpertIteration.Config config,
      ExpertIteration.Task<P, X> task,
      Path base,
      Path out,
      boolean progressBar,
      Consumer<String> log) {
    if (config.rounds() <= 0)
      throw new IllegalArgumentException("--rounds must be positive, got " + config.rounds());
    this.method = method;
    this.config = config;
    this.task = task;
    this.base = base;
    this.out = out;
    this.progressBar = progressBar;
    this.log = log;
    this.start = ArTraining.load(base, task.name());
    int vocab = start.spec().lm().vocab();
    if (vocab != task.codec().vocab()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + base
              + " has a vocabulary of "
              + vocab
              + " tokens, the "
              + task.name()
              + " codec needs "
              + task.codec().vocab()
              + "; pass a proposer trained by train reasoning --task "
              + task.name());
    }
  }

  /**
   * Reads the completed rounds ({@code resume}) or refuses a directory that holds some, then
   * measures round 0 when there is none; returns the answers the rounds read back accepted.
   */
  List<ArTraining.Example> begin(boolean resume) {
    List<ArTraining.Example> data = new ArrayList<>();
    if (resume) {
      for (int r = 0; ; r++) {
        ExpertRoundFiles.Stored s = ExpertRoundFiles.read(out, r, config);
        if (s == null) break;
        rounds.add(s.round());
        data.addAll(s.accepted());
      }
      if (!rounds.isEmpty())
        log.accept("resuming after round " + rounds.getLast().round() + " in " + out);
    } else if (Files.exists(ExpertRoundFiles.file(out, 0))) {
      throw new IllegalArgumentException(
          out + " already holds rounds; pass --resume to continue them or choose another --out");
    }
    if (rounds.isEmpty()) {
      long w0 = System.nanoTime();
      PassRates m = measure(start);
      finish(
          new ExpertRound(
              0, 0, 0, 0, 0, 0, 0, m, 0, 0, 0, (System.nanoTime() - w0) / 1e9, base.toString(), 0),
          List.of());
    }
    return data;
  }

  /** The number of the round to run next. */
  int next() {
    return rounds.size();
  }

  ExpertRound last() {
    return rounds.getLast();
  }

  /** Every round so far. */
  List<ExpertRound> rounds() {
    return List.copyOf(rounds);
  }

  /** The last completed round's proposer, read back from its checkpoint. */
  ArTraining.Loaded current() {
    return currentPath().equals(base) ? start : load(last().checkpoint());
  }

  /** Where the last completed round's proposer lives. */
  Path currentPath() {
    return path(last().checkpoint());
  }

  ArTraining.Loaded load(String checkpoint) {
    return ArTraining.load(path(checkpoint), task.name());
  }

  /**
   * A round's checkpoint as a path: the starting proposer for round 0's (and for any later round
   * that trained nothing yet), else relative to {@code out}.
   */
  private Path path(String checkpoint) {
    return checkpoint.equals(rounds.getFirst().checkpoint()) ? base : out.resolve(checkpoint);
  }

  /**
   * Fine-tunes the proposer at {@code from} on {@code data} for {@code steps} into {@code
   * out/round-NNN} (cleared first: a killed run of this round may have left some); returns that
   * directory relative to {@code out}, or null when the user interrupted it.
   */
  String fineTune(int r, Path from, ArTraining.ExampleSource data, long steps) {
    return train(r, steps, o -> ArTraining.fineTune(o, from, data, null));
  }

  /**
   * Trains round {@code r} for {@code steps} into {@code out/round-NNN} (cleared first) by {@code
   * run}, given the options of the one proposer recipe (AdamW, warm-up + cosine from the loop's lr
   * to a tenth, weight decay 0.1, clip 1); returns that directory relative to {@code out}, or null
   * when the user interrupted it.
   */
  String train(int r, long steps, Function<ArTraining.Options, ArTraining.Outcome> run) {
    Path dir = out.resolve(String.format("round-%03d", r));
    deleteRecursively(dir);
    Recipe recipe =
        new Recipe(
            0,
            steps,
            config.batch(),
            config.lr(),
            config.lr() / 10,
            100,
            0.1,
            1.0,
            config.seed() * 1_000_003L + r,
            0,
            dir,
            progressBar);
    ArTraining.Outcome t =
        run.apply(new ArTraining.Options(task.name(), start.spec().lm(), recipe, 0, 1));
    if (t.stop() == TrainResult.StopReason.INTERRUPTED) {
      log.accept("interrupted in round " + r + "; --resume redoes it");
      return null;
    }
    return out.relativize(dir).toString();
  }

  /** A proposer on the held-out problems (the same seeds every round). */
  PassRates measure(ArTraining.Loaded proposer) {
    return PassRates.measure(
        task.heldOut(),
        new ArProposer<>(proposer.model(), task.codec(), ArProposer.Decoding.greedy(false)),
        config.temperature(),
        config.evalSamples(),
        task.rules(),
        task.search().apply(config.seed() + 7),
        task.verifier(),
        config.budget().withProposals(config.evalSamples()),
        config.seed() + 11);
  }

  /** Writes a completed round's file, then the result JSON, and prints its line. */
  void finish(ExpertRound round, List<ArTraining.Example> accepted) {
    ExpertRoundFiles.write(out, config, round, accepted);
    rounds.add(round);
    log.accept(line(round));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("method", method);
    json.put("task", task.name());
    json.put("start_checkpoint", base.toString());
    json.put("config", config);
    json.put("held_out_problems", task.heldOut().size());
    json.put("rounds", rounds);
    ResultJson.write(out.resolve(ExpertIteration.RESULT_FILE), json);
  }

  ExpertIteration.Result result(boolean interrupted) {
    return new ExpertIteration.Result(
        List.copyOf(rounds), out.resolve(ExpertIteration.RESULT_FILE), interrupted);
  }

  private String line(ExpertRound r) {
    PassRates m = r.heldOut();
    String head =
        r.round() == 0
            ? "round 0 (start)"
            : config.rl() != null
                ? String.format(
                    "round %d/%d: %d RLOO steps on %d problems × %d samples, %.1f%% of groups"
                        + " informative, %d/%d problems with an accepted sample",
                    r.round(),
                    config.rounds(),
                    r.steps(),
                    r.problems() - r.skipped(),
                    config.samples(),
                    100 * r.informativeGroups(),
                    r.accepted(),
                    r.problems() - r.skipped())
                : r.problems() == 0
                    ? String.format(
                        "round %d/%d: trained on generated solutions for %d steps",
                        r.round(), config.rounds(), r.steps())
                    : String.format(
                        "round %d/%d: accepted %d/%d (%.1f%%), trained on %d in %d steps",
                        r.round(),
                        config.rounds(),
                        r.accepted(),
                        r.problems() - r.skipped(),
                        100.0 * r.accepted() / Math.max(1, r.problems() - r.skipped()),
                        r.examples(),
                        r.steps());
    return String.format(
        "%s; held out (%d): pass@1 %.1f%%, pass@%d %.1f%%, search %.1f%% with %.1f evaluations;"
            + " %.0f training CPU s (total %.0f), %.0f s",
        head,
        m.problems(),
        100 * m.pass1(),
        m.samples(),
        100 * m.passK(),
        100 * m.searchSolved(),
        m.meanEvaluations(),
        r.cpuSeconds(),
        r.cumulativeCpuSeconds(),
        r.wallSeconds());
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }
}
